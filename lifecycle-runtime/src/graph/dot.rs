//! The Graphviz rendering.

use std::fmt::Write as _;

use super::{Graph, Line, Node, Outcome};
use crate::wiring::{Role, ScopeKind};

const CRITICAL: &str = "#d9480f";
const FAILED: &str = "#c92a2a";
const MUTED: &str = "#868e96";

impl Graph {
    /// The graph in Graphviz's DOT language (`dot -Tsvg graph.dot`).
    ///
    /// One box per node, in plan order, labelled with its name, its scope
    /// or role when not a plain singleton, its constructor and hooks with
    /// their own timeouts, its startup time when measured, and its source
    /// file and line (the full location is the tooltip). Edges go from
    /// the dependent to the dependency, so dependencies sit below what
    /// needs them and startup reads bottom-up. The critical path is bold
    /// and orange; a failed node is red, and nodes never constructed
    /// because of it are grey and dashed. The output depends only on the
    /// graph: the same graph gives the same text.
    pub fn to_dot(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "digraph {} {{", quoted(self.module));
        let _ = writeln!(
            out,
            "  // Edges go from dependent to dependency: the dependency is constructed first."
        );
        let _ = writeln!(
            out,
            "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=10, labelloc=b, label={}];",
            quoted(&self.caption())
        );
        let _ = writeln!(
            out,
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=11];"
        );
        let _ = writeln!(out, "  edge [color=\"{MUTED}\", arrowsize=0.7];");
        for node in &self.nodes {
            let _ = writeln!(
                out,
                "  n{} [label=<{}>, tooltip={}{}];",
                node.index,
                self.label(node)
                    .iter()
                    .map(html_line)
                    .collect::<Vec<_>>()
                    .join("<br/>"),
                quoted(&tooltip(node)),
                self.node_style(node)
            );
        }
        for edge in &self.edges {
            let style = if self.is_critical_edge(edge) {
                format!(" [color=\"{CRITICAL}\", penwidth=2.5]")
            } else {
                String::new()
            };
            let _ = writeln!(out, "  n{} -> n{}{style};", edge.dependent, edge.dependency);
        }
        out.push_str("}\n");
        out
    }

    fn node_style(&self, node: &Node) -> String {
        let mut style = String::new();
        match (node.role, node.scope) {
            (Role::Input, _) | (_, ScopeKind::Input) => style.push_str(", fillcolor=\"#e7f5ff\""),
            (_, ScopeKind::Request | ScopeKind::Transient) => {
                style.push_str(", fillcolor=\"#fff9db\"");
            }
            _ => {}
        }
        if self.is_critical(node.index) {
            let _ = write!(style, ", color=\"{CRITICAL}\", penwidth=2.5");
        }
        match node.outcome {
            Some(Outcome::Failed { .. }) => {
                let _ = write!(
                    style,
                    ", fillcolor=\"#ffe3e3\", color=\"{FAILED}\", fontcolor=\"{FAILED}\", penwidth=2.5"
                );
            }
            Some(Outcome::NotConstructed) => {
                let _ = write!(
                    style,
                    ", style=\"rounded,filled,dashed\", fillcolor=\"#f1f3f5\", fontcolor=\"{MUTED}\""
                );
            }
            None => {}
        }
        style
    }
}

fn html_line(line: &Line) -> String {
    match line {
        Line::Name(s) => format!("<b>{}</b>", html(s)),
        Line::Tag(s) => format!("<i>{}</i>", html(s)),
        Line::Plain(s) => html(s),
        Line::Failure(s) => format!("<b>{}</b>", html(s)),
        Line::Location(s) => format!(
            "<font point-size=\"9\" color=\"{MUTED}\">{}</font>",
            html(s)
        ),
    }
}

fn tooltip(node: &Node) -> String {
    match &node.outcome {
        Some(Outcome::Failed { phase, cause }) => {
            format!("{}\n{} failed: {cause}", node.location, phase)
        }
        _ => node.location.to_owned(),
    }
}

/// Text for a Graphviz HTML-like label.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A DOT double-quoted string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

//! The Mermaid rendering.

use std::fmt::Write as _;

use super::{Graph, Line, Outcome};
use crate::wiring::{Role, ScopeKind};

/// Class names and styles, in the order they are applied: later ones win.
const CLASSES: [(&str, &str); 5] = [
    ("input", "fill:#e7f5ff,stroke:#1c7ed6"),
    ("scoped", "fill:#fff9db,stroke:#f08c00"),
    ("critical", "stroke:#d9480f,stroke-width:3px"),
    (
        "notConstructed",
        "fill:#f1f3f5,stroke:#adb5bd,stroke-dasharray:4 3,color:#868e96",
    ),
    (
        "failed",
        "fill:#ffe3e3,stroke:#c92a2a,stroke-width:3px,color:#c92a2a",
    ),
];

const CRITICAL_LINK: &str = "stroke:#d9480f,stroke-width:3px";

impl Graph {
    /// The graph as a Mermaid `flowchart`, for Markdown that renders
    /// ```` ```mermaid ```` blocks (GitHub, GitLab, mdBook with a plugin).
    ///
    /// The same content as [`to_dot`](Self::to_dot): nodes `n0`, `n1`, …
    /// in plan order with quoted labels (every `"`, `<`, `>`, `&`, `#` and
    /// backtick of a name written as a Mermaid entity, so `Repo<User>` and
    /// `dyn Trait` names are safe), edges from dependent to dependency,
    /// the caption as the title. Classes `critical`, `failed`,
    /// `notConstructed`, `input` and `scoped` style the nodes, and the
    /// critical path's edges are bold.
    pub fn to_mermaid(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "---\ntitle: {}\n---", yaml_quoted(&self.caption()));
        out.push_str("flowchart TD\n");
        out.push_str(
            "    %% Edges go from dependent to dependency: the dependency is constructed first.\n",
        );
        let mut members: [Vec<usize>; CLASSES.len()] = Default::default();
        for node in &self.nodes {
            let label = self
                .label(node)
                .iter()
                .map(html_line)
                .collect::<Vec<_>>()
                .join("<br/>");
            let _ = writeln!(out, "    n{}[\"{label}\"]", node.index);
            let mut classes = Vec::new();
            match (node.role, node.scope) {
                (Role::Input, _) | (_, ScopeKind::Input) => classes.push("input"),
                (_, ScopeKind::Request | ScopeKind::Transient) => classes.push("scoped"),
                _ => {}
            }
            if self.is_critical(node.index) {
                classes.push("critical");
            }
            match node.outcome {
                Some(Outcome::Failed { .. }) => classes.push("failed"),
                Some(Outcome::NotConstructed) => classes.push("notConstructed"),
                None => {}
            }
            for (k, (name, _)) in CLASSES.iter().enumerate() {
                if classes.contains(name) {
                    members[k].push(node.index);
                }
            }
        }
        let mut critical_links = Vec::new();
        for (k, edge) in self.edges.iter().enumerate() {
            let _ = writeln!(out, "    n{} --> n{}", edge.dependent, edge.dependency);
            if self.is_critical_edge(edge) {
                critical_links.push(k.to_string());
            }
        }
        for (k, (name, style)) in CLASSES.iter().enumerate() {
            if !members[k].is_empty() {
                let _ = writeln!(out, "    classDef {name} {style}");
            }
        }
        for (k, (name, _)) in CLASSES.iter().enumerate() {
            if !members[k].is_empty() {
                let ids: Vec<String> = members[k].iter().map(|i| format!("n{i}")).collect();
                let _ = writeln!(out, "    class {} {name}", ids.join(","));
            }
        }
        if !critical_links.is_empty() {
            let _ = writeln!(
                out,
                "    linkStyle {} {CRITICAL_LINK}",
                critical_links.join(",")
            );
        }
        out
    }
}

fn html_line(line: &Line) -> String {
    match line {
        Line::Name(s) => format!("<b>{}</b>", escape(s)),
        Line::Tag(s) => format!("<i>{}</i>", escape(s)),
        Line::Plain(s) => escape(s),
        Line::Failure(s) => format!("<b>{}</b>", escape(s)),
        Line::Location(s) => format!("<small>{}</small>", escape(s)),
    }
}

/// Text inside a quoted Mermaid label: the characters that would end the
/// label, open a tag or start an entity become Mermaid entities.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A YAML double-quoted scalar, for the front matter's title.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

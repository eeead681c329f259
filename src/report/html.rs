//! The page: one HTML document with its style sheet inline and the charts
//! as inline SVG, so it opens anywhere without a network.
//!
//! The markup is also well-formed XML (every element closed, attributes
//! quoted, text escaped), so a strict XML parser can check the whole page;
//! the tests do.

use super::i18n::Lang;

/// Escapes text for HTML/XML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// No selector uses `>` or `&`, so the sheet is also valid XML text.
const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;
  color: #222; background: #fff; margin: 0 auto; max-width: 960px; padding: 16px 24px 48px;
  line-height: 1.45; }
h1 { font-size: 1.6em; margin: 0.4em 0 0.2em; }
h2 { font-size: 1.3em; margin: 1.6em 0 0.3em; border-bottom: 2px solid #1f77b4; padding-bottom: 2px; }
h3 { font-size: 1.1em; margin: 1.2em 0 0.3em; }
p.meta { color: #555; margin: 0.2em 0; }
figure.chart { margin: 0.8em 0 1.2em; }
figure.chart svg { max-width: 100%; height: auto; display: block; border: 1px solid #e4e4e4; }
figure.chart figcaption { font-size: 0.9em; color: #444; margin-top: 4px; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: right; vertical-align: top; }
th { background: #f3f6fa; }
th.row, td.text { text-align: left; }
p.aid { font-size: 0.9em; color: #444; margin-top: -0.6em; }
ul.assumptions { font-size: 0.9em; color: #333; }
small.key { color: #777; font-weight: normal; margin-left: 0.3em; white-space: nowrap; }
small.key code { font-size: 0.85em; }
p.note { background: #fff8e1; border-left: 4px solid #e0a800; padding: 6px 10px; }
section.kind { margin-bottom: 2em; }
@page { size: A4; margin: 12mm 12mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; line-height: 1.3; }
  h2 { margin: 0.8em 0 0.3em; break-after: avoid; page-break-after: avoid; }
  h3 { margin: 0.7em 0 0.2em; break-after: avoid; page-break-after: avoid; }
  figure.chart { margin: 0.3em 0 0.5em; break-inside: avoid; page-break-inside: avoid; }
  figure.chart svg { width: auto; max-width: 100%; max-height: 68mm; border: none; }
  figure.chart figcaption { font-size: 0.85em; margin-top: 1px; }
  table { font-size: 0.85em; margin: 0.3em 0 0.6em; }
  th, td { padding: 1px 5px; }
  thead { display: table-header-group; }
  tr, p.aid, p.note { break-inside: avoid; page-break-inside: avoid; }
}
";

/// The start of the `<meta>` element that marks a page as fleksim's (the
/// version follows). `--out` overwrites an existing file only if its first
/// [`MARKER_WINDOW`] bytes hold this.
pub const GENERATOR_MARKER: &str = "<meta name=\"generator\" content=\"fleksim ";

/// How much of an existing file is read to find [`GENERATOR_MARKER`]: the
/// page puts it in the first lines of its head.
pub const MARKER_WINDOW: usize = 4096;

/// A whole page around the sections' HTML.
pub fn page(lang: Lang, sections: &[String]) -> String {
    let w = lang.words();
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n");
    out.push_str(&format!("<html lang=\"{}\">\n<head>\n", lang.code()));
    out.push_str("<meta charset=\"utf-8\"/>\n");
    out.push_str(&format!(
        "{GENERATOR_MARKER}{}\"/>\n",
        escape(env!("CARGO_PKG_VERSION"))
    ));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    out.push_str(&format!("<title>{}</title>\n", escape(w.page_title)));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    out.push_str(&format!("<h1>{}</h1>\n", escape(w.page_title)));
    out.push_str(&format!("<p class=\"meta\">{}</p>\n", escape(w.intro)));
    for s in sections {
        out.push_str(s);
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// A chart with its reading aid under it.
pub fn figure(svg: &str, aid: &str) -> String {
    format!(
        "<figure class=\"chart\">\n{svg}<figcaption>{}</figcaption>\n</figure>\n",
        escape(aid)
    )
}

/// A heading of `level` (2 or 3).
pub fn heading(level: u8, text: &str) -> String {
    format!("<h{level}>{}</h{level}>\n", escape(text))
}

/// A paragraph of class `class`.
pub fn para(class: &str, text: &str) -> String {
    format!("<p class=\"{class}\">{}</p>\n", escape(text))
}

/// A bulleted list.
pub fn list(class: &str, items: &[String]) -> String {
    let mut out = format!("<ul class=\"{class}\">\n");
    for i in items {
        out.push_str(&format!("<li>{}</li>\n", escape(i)));
    }
    out.push_str("</ul>\n");
    out
}

/// A table: the first column holds row headers (left-aligned), the rest
/// numbers (right-aligned).
pub fn table(head: &[String], rows: &[Vec<String>]) -> String {
    let rows: Vec<(String, &[String])> = rows
        .iter()
        .map(|r| {
            let first = r.first().map_or(String::new(), |c| escape(c));
            (first, r.get(1..).unwrap_or(&[]))
        })
        .collect();
    table_of(head, &rows)
}

/// A row header's label with its key small beside it, as HTML (for
/// [`keyed_table`]).
pub fn keyed(label: &str, key: &str) -> String {
    format!(
        "{} <small class=\"key\"><code>{}</code></small>",
        escape(label),
        escape(key)
    )
}

/// A [`table`] whose row headers are HTML made by [`keyed`].
pub fn keyed_table(head: &[String], rows: &[(String, Vec<String>)]) -> String {
    let rows: Vec<(String, &[String])> = rows
        .iter()
        .map(|(first, rest)| (first.clone(), rest.as_slice()))
        .collect();
    table_of(head, &rows)
}

/// `rows`: (the row header as HTML, the other cells as text).
fn table_of(head: &[String], rows: &[(String, &[String])]) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
    for (i, h) in head.iter().enumerate() {
        let class = if i == 0 { " class=\"row\"" } else { "" };
        out.push_str(&format!("<th{class}>{}</th>", escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (first, rest) in rows {
        out.push_str(&format!("<tr><th class=\"row\" scope=\"row\">{first}</th>"));
        for c in rest.iter() {
            out.push_str(&format!("<td>{}</td>", escape(c)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("a < b & \"c\" 'd' >"),
            "a &lt; b &amp; &quot;c&quot; &#39;d&#39; &gt;"
        );
    }

    #[test]
    fn the_marker_opens_the_page() {
        let page = page(Lang::En, &["<p>x</p>\n".repeat(10_000)]);
        let at = page.find(GENERATOR_MARKER).expect("no generator meta");
        assert!(at + GENERATOR_MARKER.len() < 200, "marker at byte {at}");
        assert!(page[at..].starts_with(&format!(
            "<meta name=\"generator\" content=\"fleksim {}\"/>",
            env!("CARGO_PKG_VERSION")
        )));
    }

    #[test]
    fn style_sheet_is_xml_text() {
        assert!(!STYLE.contains('<') && !STYLE.contains('&') && !STYLE.contains("url("));
    }
}

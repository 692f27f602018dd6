"""Renderings of a `Plan`: PDF, Markdown-flavoured text and JSON. They never decide anything.

- `apps.exports.pdf.render_pdf(plan, *, organisation, page_size=None) -> bytes` (raises `PdfError`)
- `apps.exports.text.render_text(plan, *, organisation="") -> str`
- `apps.exports.responses`: `pdf_response`, `text_response`, `json_response`, `export_filename`
"""

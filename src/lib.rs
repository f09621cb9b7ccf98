//! svcbook: turns an after-sales service knowledge base written in Markdown into a static site.

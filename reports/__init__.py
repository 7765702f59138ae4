"""Report runs, PDF rendering, report templates and charts."""

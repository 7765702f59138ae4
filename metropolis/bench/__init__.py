"""What the benchmarks need beside the portal itself, never served in
production: the hand-written baseline of the API and the URLs that add it."""

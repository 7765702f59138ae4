"""Events and participation, pilot projects, learning activities, publications,
platform contributions and strategic action plans."""

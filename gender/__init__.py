"""The indicator registry, the gender impact assessment and governance composition."""

"""The game's screens: each builds a Layout from the Session or library and reacts to its buttons."""

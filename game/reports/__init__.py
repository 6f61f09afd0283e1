"""Reports: what a reader sees of one session or many.

The debrief (terminal and data), charts, the HTML reports and their Jinja2 templates, and scenario
graphs (Mermaid, Graphviz). May import content, engine, analysis and records; never views or pygame.
"""

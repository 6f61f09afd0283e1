"""Screenshots of the debrief and cohort reports on built-in scenarios, for docs/screenshots/.

    python tools/report_screenshots.py

Plays a small class through three built-in scenarios with the engine (seeded, so the pictures are
the same every time: each trainee's choices drift from random towards the exemplar over attempts),
writes the reports with the real commands, and renders them in headless Chromium.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.analysis.exemplar import best_path  # noqa: E402
from game.content.library import load_library  # noqa: E402
from game.engine.session import Session  # noqa: E402
from game.engine.variants import choose  # noqa: E402
from game.records.scorelog import ScoreLog  # noqa: E402
from tests.browser import open_page  # noqa: E402

SCENARIOS = ["family-party-noise", "traffic-stop-singled-out", "lost-with-dementia"]
TRAINEES = [f"cadet-{n:02d}" for n in range(1, 13)]


def play(lib, scenario_id: str, trainee: str, skill: float, rng: random.Random, folder: Path) -> Path:
    scenario = lib.scenarios[scenario_id]
    draw = choose(scenario, seed=rng.randrange(2**31))  # seeded, so the pictures come out the same every time
    best = best_path(scenario, draw.variant).path
    log = ScoreLog.create(scenario, lib.rubric, trainee=trainee, log_dir=folder, variant=draw.variant, seed=draw.seed)
    session = Session(scenario, lib.rubric, observers=[log.observe], variant=draw.variant, seed=draw.seed)
    while not session.finished:
        offers = session.choices
        exemplar = next((o for o in offers if o.id in best), None)
        if exemplar is not None and rng.random() < skill:
            session.choose(exemplar.id, elapsed=round(rng.uniform(3, 12), 1))
        elif offers and (session.time_limit is None or rng.random() < 0.9):
            session.choose(rng.choice(offers).id, elapsed=round(rng.uniform(2, 15), 1))
        else:
            session.time_out()
    return log.path


def main() -> None:
    lib = load_library(env={})
    rng = random.Random(7)
    out = ROOT / "docs" / "screenshots"
    with tempfile.TemporaryDirectory() as tmp:
        logs = Path(tmp) / "logs"
        one = None
        for trainee in TRAINEES:
            talent = rng.uniform(0.2, 0.6)
            for attempt in range(3):
                for sid in SCENARIOS:
                    path = play(lib, sid, trainee, min(0.95, talent + 0.15 * attempt), rng, logs)
                    if trainee == TRAINEES[2] and sid == SCENARIOS[0] and attempt == 0:
                        one = path
        cohort_html, debrief_html = Path(tmp) / "cohort.html", Path(tmp) / "debrief.html"
        run = [sys.executable, "-m", "game"]
        subprocess.run([*run, "cohort", str(logs), "--html", str(cohort_html)], check=True, cwd=ROOT)
        subprocess.run([*run, "debrief", str(one), "--html", str(debrief_html)], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        open_page(cohort_html, screenshot=out / "cohort.png", size="1280,3000")
        open_page(debrief_html, screenshot=out / "debrief.png", size="1280,3600")
    print(f"wrote {out / 'cohort.png'} and {out / 'debrief.png'}")


if __name__ == "__main__":
    main()

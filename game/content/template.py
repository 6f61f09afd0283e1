"""The starting scenario ``commonground new`` writes: small, commented, valid, lint-clean and playable.

It shows every part of the format an instructor needs first (people, meters, a flag, a timed node,
an automatic branch on agitation, a conditional choice, three endings with different outcomes, and
decisions with two sound options where the best is not the longest), so authors learn the format by
editing a scene that already works.
"""

from __future__ import annotations

import json

SCENARIO = """\
# yaml-language-server: $schema=scenario.schema.json
# ^ Editor completion: run 'commonground schema > scenario.schema.json' in this folder once.
#
# A new scenario, ready to play: commonground play {file} --text
# Check it as you write:           commonground validate {file}   then   commonground lint {file}
# Its test plans are in {plan_file}; run them with: commonground test {file}
# Every key is described in docs/scenario-format.md; docs/authoring.md is the step-by-step guide.

id: {id}                    # must stay unique in the library; logs and plans refer to it
title: {title}
summary: One or two sentences for the scenario picker. Say who, where and what the pressure is.
topics: [{topic}]           # topic ids from topics.yaml; scores may only name principles of these
principles: [{principles}]  # what this scenario teaches; each must be scored somewhere below
setting: Where and when, as the trainee arrives. For example, a shop doorway on a weekday afternoon.
objectives:
  - One learning objective per line, as a sentence the trainee can act on.
minutes: 8
difficulty: introductory    # introductory | intermediate | advanced
version: "1.0"              # raise it when you change the scene; every score log records it
author: Your name or unit
sources:
  - The framework this scene follows, for example "ICAT (PERF)"

people:
  subject:                  # required: the person the trainee talks with
    name: Alex
    role: subject
    description: Who they are, in a sentence or two, with dignity.

meters:                     # numbers from 0 to 100 unless you give min and max
  agitation: 50             # how agitated the subject is at the start
  trust: 20                 # how much they trust the officer at the start
flags:
  introduced: false         # a true/false fact the scene remembers

start: arrival              # the first node
nodes:
  arrival:
    narration: What the trainee sees as the scene opens.
    speaker: subject
    line: What the subject says first.
    time_limit:             # the trainee must answer within this time; waiting is a decision too
      seconds: 20
      goto: listen
      text: Say nothing and watch
      effects: {{agitation: +15}}
      scores: {{{p1}: -1}}
      feedback: You said nothing while the pressure rose; a calm first line lowers it.
    choices:
      - id: introduce       # the best option: the highest total here, but not the longest text
        text: Stop at a distance and give your name.
        goto: listen
        effects: {{agitation: -10, trust: +15, introduced: true}}
        scores: {{{p1}: 2}}
        feedback: You gave your name and kept your distance, which lowered the pressure.
      - id: wave            # a second sound option, done less well: the trainee has to weigh them
        text: Wave from where you are and wait for them to look up.
        goto: listen
        effects: {{agitation: -5}}
        scores: {{{p1}: 1}}
        feedback: Keeping your distance helped, but they still do not know who you are or why you came.
      - id: command
        text: Walk up and tell them to calm down.
        goto: listen
        effects: {{agitation: +25}}
        scores: {{{p1}: -2}}
        feedback: Closing in with a command raised the pressure instead of lowering it.

  listen:
    branches:               # checked on arrival, first that holds wins
      - if: agitation >= 70
        goto: listen_hot
        note: The subject was too agitated to talk.
    speaker: subject
    line: Why are you here?
    choices:
      - id: ask
        text: Ask an open question about what happened.
        goto: close
        effects: {{trust: +15}}
        scores: {{{p2}: 2}}
        feedback: An open question let them tell their side, which builds trust.
      - id: check
        text: Ask whether they are hurt or need anything right now.
        goto: close
        effects: {{trust: +5}}
        scores: {{{p2}: 1}}
        feedback: A fair question, but a closed one; an open question lets them tell it their way.
      - id: lecture
        text: Explain what they did wrong.
        goto: ending_complaint
        scores: {{{p2}: -2}}
        feedback: A lecture before listening told them their side did not matter.

  listen_hot:               # the same moment, with an agitated subject
    speaker: subject
    line: Get away from me!
    choices:
      - id: slow-down
        text: Step back, lower your voice and give them time.
        goto: listen
        effects: {{agitation: -30}}
        scores: {{{p1}: 1}}
        feedback: Time and distance let the agitation come down; the conversation can start again.
      - id: threaten
        text: Warn them they will be arrested if they do not calm down.
        goto: ending_complaint
        effects: {{agitation: +20}}
        scores: {{{p1}: -3}}
        feedback: A threat to someone already agitated escalates; slow down first.

  close:
    speaker: subject
    line: So what happens now?
    choices:
      - id: offer-help
        text: Offer to help sort it out together.
        if: introduced and trust >= 40    # only offered once they know who you are and trust you
        goto: ending_resolved
        scores: {{{p2}: 2}}
        feedback: You offered a next step they could agree to, because you had earned their trust.
      - id: leave
        text: Tell them this is not a police matter and they should move along.
        goto: ending_disengaged
        scores: {{{p2}: -1}}
        feedback: Leaving without a next step wastes the trust you built.

endings:
  ending_resolved:
    outcome: resolved
    title: Sorted out together
    narration: What happens at the end of this path.
    debrief: What the instructor wants the trainee to take away, in three to five sentences.
  ending_complaint:
    outcome: complaint
    title: A complaint is filed
    narration: What happens at the end of this path.
    debrief: What went wrong, the principle at stake, and what to do next time.
  ending_disengaged:
    outcome: disengaged
    title: You leave
    narration: What happens at the end of this path.
    debrief: What was missed, and what would have helped.
"""

PLAN = """\
# Test plans for {file}: each plays the steps from the start, then checks the expectations.
# Run them with: commonground test {file}
plans:
  - name: Introduce, listen, offer help (the best path)
    steps: [introduce, ask, offer-help]
    expect:
      ending: ending_resolved
      outcome: resolved
      meters: {{trust: [40, 100]}}
      scores: {{total: 6}}

  - name: A command makes the subject too agitated to talk
    steps: [command]
    expect:
      node: listen_hot
      meters: {{agitation: [70, 100]}}

  - name: Letting the time run out, then no trust to offer help
    steps: [wait, ask, leave]
    expect:
      ending: ending_disengaged
      flags: {{introduced: false}}
"""


def title_of(ident: str) -> str:
    return " ".join(w.capitalize() for w in ident.replace("_", "-").split("-") if w) or ident


def render(ident: str, topic: str, principles: list[str], title: str | None = None) -> tuple[str, str]:
    """The scenario text and its plan text for a new scenario scoring ``principles`` (one or two)."""
    p1 = principles[0]
    p2 = principles[1] if len(principles) > 1 else p1
    listed = ", ".join(dict.fromkeys([p1, p2]))
    values = {"id": ident, "topic": topic, "p1": p1, "p2": p2, "principles": listed,
              "title": json.dumps(title or title_of(ident), ensure_ascii=False),
              "file": f"{ident}.yaml", "plan_file": f"{ident}.plan.yaml"}
    return SCENARIO.format(**values), PLAN.format(**values)

"""Journey kinds of the demo and the dated steps each one plays out."""

# A plan counts business days after the label was created (day 0) and says how many of them
# lie fully in the past (`last_full_day`). The simulator places the label that many business
# days before `now`, so each kind gets the calendar its story needs, and no step lands in the
# future except today's scans of a parcel still on its way.

from collections.abc import Callable
from dataclasses import dataclass
from random import Random

from .journey_tables import (
    CHINA_MILESTONES,
    DOORSTEP,
    HOURS,
    NEEDS,
    J,
    Journey,
    Planned,
)
from .lanes import Route, Step


@dataclass(frozen=True)
class Context:
    """What a journey needs to know to plan: dice, carrier, promised transit, oldest label."""

    rng: Random
    route: Route
    transit: int
    max_full_days: int

    def can(self, step: Step) -> bool:
        """Whether the carrier reports this step."""
        return self.route.told(step) is not None


@dataclass(frozen=True)
class Plan:
    """The dated steps of one journey and how many business days after the label are past."""

    kind: Journey
    last_full_day: int
    steps: list[Planned]


def capable(route: Route, kind: Journey) -> bool:
    """Whether a carrier has the codes to tell this kind of journey."""
    if kind == J.CUSTOMS_HOLD and not route.from_china:
        return False
    return all(any(route.told(s) for s in options) for options in NEEDS.get(kind, ()))


def _span(ctx: Context, low: int, high: int) -> int | None:
    """A number of fully past days in [low, high], or None when the label would be too old."""
    high = min(high, ctx.max_full_days)
    return ctx.rng.randint(low, high) if low <= high else None


def _europe(ctx: Context, due: int) -> list[Planned]:
    steps: list[Planned] = [
        (Step.INFO, 0, None),
        (Step.ACCEPTED, 0, HOURS[Step.ACCEPTED]),
        (Step.HUB, 0, HOURS[Step.HUB]),
    ]
    # A scan every other day keeps a slow parcel visibly moving, as real networks do.
    for day in range(due - 1, 0, -2):
        late = day >= ctx.transit and ctx.can(Step.DELAY)
        step = Step.DELAY if late else Step.TRANSIT
        steps.append((step, day, HOURS[step]))
    steps.append((Step.DEST_HUB, due, HOURS[Step.DEST_HUB]))
    return steps


def _china(due: int) -> list[Planned]:
    last = len(CHINA_MILESTONES) - 1
    return [
        (step, round(i * due / last), hours) for i, (step, hours) in enumerate(CHINA_MILESTONES)
    ]


def _progress(ctx: Context, upto: int, due: int) -> list[Planned]:
    """The ordinary scans of a parcel due on day `due`, as far as day `upto`."""
    plan = _china(due) if ctx.route.from_china else _europe(ctx, due)
    return [p for p in plan if p[1] <= upto]


def _scanned_on(plan: list[Planned], day: int) -> list[Planned]:
    """The plan with at least one scan on `day`: the last sign of life before silence."""
    if any(p[1] == day for p in plan):
        return plan
    return [*plan, (Step.TRANSIT, day, HOURS[Step.TRANSIT])]


def _attempt(day: int, outcome: Step) -> list[Planned]:
    return [
        (Step.OUT_FOR_DELIVERY, day, HOURS[Step.OUT_FOR_DELIVERY]),
        (outcome, day, DOORSTEP),
    ]


def _doorstep(ctx: Context) -> Step:
    """Delivered at the door mostly, sometimes to a neighbour or through the letterbox."""
    roll = ctx.rng.random()
    if roll < 0.12 and ctx.can(Step.NEIGHBOUR):
        return Step.NEIGHBOUR
    if roll > 0.9 and ctx.can(Step.MAILBOX):
        return Step.MAILBOX
    return Step.DELIVERED


def _earliest_due(ctx: Context) -> int:
    # Sometimes a day early; the China milestones need eight days to stay in order.
    floor = 8 if ctx.route.from_china else 1
    early = ctx.transit - 1
    return early if early >= floor and ctx.rng.random() < 0.3 else ctx.transit


Built = tuple[int, list[Planned]] | None
"""A journey's fully past days and its steps, or None when it cannot fit the window."""


def _on_time(ctx: Context) -> Built:
    due = _earliest_due(ctx)
    past = _span(ctx, due, 18)
    if past is None:
        return None
    return past, _progress(ctx, due, due) + _attempt(due, _doorstep(ctx))


def _unknown_code(ctx: Context) -> Built:
    built = _on_time(ctx)
    if built is None:
        return None
    past, steps = built
    day = max(steps[-1][1] - 1, 1)
    return past, [*steps, (Step.UNKNOWN, day, HOURS[Step.UNKNOWN])]


def _delivered_late(ctx: Context) -> Built:
    most = min(5, ctx.max_full_days - ctx.transit)
    if most < 1:
        return None
    due = ctx.transit + ctx.rng.randint(1, most)
    past = _span(ctx, due, 18)
    if past is None:
        return None
    return past, _progress(ctx, due, due) + _attempt(due, Step.DELIVERED)


def _late_in_transit(ctx: Context) -> Built:
    # Today is 1 to 5 business days past the promised day; the last scan was yesterday.
    past = ctx.transit + ctx.rng.randint(1, 5) - 1
    if past > ctx.max_full_days:
        return None
    return past, _scanned_on(_progress(ctx, past, past + 2), past)


def _silent_since(ctx: Context, last: int) -> list[Planned]:
    plan = _progress(ctx, last, max(ctx.transit, last + 1))
    if ctx.route.from_china:
        return plan  # the milestones already end on a scan
    return _scanned_on(plan, last)


def _last_china_scan(ctx: Context, before: int) -> int:
    days = sorted({day for _, day, _ in _china(ctx.transit) if 0 < day < before})
    return ctx.rng.choice(days)


def _stalled(ctx: Context) -> Built:
    if ctx.route.from_china:
        last = _last_china_scan(ctx, ctx.transit)
    else:
        last = ctx.rng.randint(1, ctx.transit + 1)
    past = last + ctx.rng.randint(4, 6) - 1
    if past > ctx.max_full_days:
        return None
    return past, _silent_since(ctx, last)


def _lost(ctx: Context) -> Built:
    last = _last_china_scan(ctx, 6) if ctx.route.from_china else ctx.rng.randint(1, 2)
    # Nine quiet business days is eleven calendar days or more: well past "likely lost".
    past = _span(ctx, last + 9, 18)
    if past is None:
        return None
    return past, _silent_since(ctx, last)


def _failed_then_delivered(ctx: Context) -> Built:
    due = ctx.transit
    past = _span(ctx, due + 1, 18)
    if past is None:
        return None
    steps = _progress(ctx, due, due) + _attempt(due, Step.NOT_HOME)
    return past, steps + _attempt(due + 1, Step.DELIVERED)


def _two_failed_attempts(ctx: Context) -> Built:
    # The second attempt is recent: a parcel missed twice long ago has moved on since.
    due = ctx.transit
    past = _span(ctx, due + 1, due + 2)
    if past is None:
        return None
    steps = _progress(ctx, due, due) + _attempt(due, Step.NOT_HOME)
    return past, steps + _attempt(due + 1, Step.NOT_HOME)


def _awaiting_pickup(ctx: Context) -> Built:
    due = ctx.transit
    missed = ctx.rng.random() < 0.5
    ready = due + 1 if missed else due
    # Up to four working days of waiting, so some sit close to a week's pickup deadline.
    past = _span(ctx, ready, ready + 3)
    if past is None:
        return None
    if not missed:
        return past, [
            *_progress(ctx, due, due),
            (Step.PICKUP_READY, ready, HOURS[Step.PICKUP_READY]),
        ]
    outcome = Step.NOT_HOME_TO_POINT if ctx.can(Step.NOT_HOME_TO_POINT) else Step.NOT_HOME
    steps = _progress(ctx, due, due) + _attempt(due, outcome)
    return past, [*steps, (Step.PICKUP_READY, ready, (9, 14))]


def _address_returning(ctx: Context) -> Built:
    due = ctx.transit
    past = _span(ctx, due + 1, due + 4)
    if past is None:
        return None
    back = Step.RETURN_ADDRESS if ctx.can(Step.RETURN_ADDRESS) else Step.RETURNING
    steps = _progress(ctx, due, due) + _attempt(due, Step.ADDRESS)
    return past, [*steps, (back, due + 1, HOURS[back])]


def _refused_returned(ctx: Context) -> Built:
    due = ctx.transit
    home = due + ctx.rng.randint(2, 4)
    past = _span(ctx, home, 18)
    if past is None:
        return None
    steps = _progress(ctx, due, due) + _attempt(due, Step.REFUSED)
    if ctx.route.told(Step.RETURNING) != ctx.route.told(Step.REFUSED):
        steps.append((Step.RETURNING, due + 1, HOURS[Step.RETURNING]))
    return past, [*steps, (Step.RETURNED, home, HOURS[Step.RETURNED])]


def _not_shipped(ctx: Context) -> Built:
    past = _span(ctx, 2, 9)
    return None if past is None else (past, [(Step.INFO, 0, None)])


def _label_created(ctx: Context) -> Built:
    # -1: the label was made today; 0: yesterday, and nothing scanned since.
    return ctx.rng.choice((-1, 0)), [(Step.INFO, 0, None)]


def _in_transit(ctx: Context) -> Built:
    past = ctx.rng.randint(-1, ctx.transit - 1)
    # Today's scans are planned too; the simulator drops the ones still in the future.
    return past, _progress(ctx, past + 1, ctx.transit)


def _customs_hold(ctx: Context) -> Built:
    milestones = _china(ctx.transit)
    landed = next(day for step, day, _ in milestones if step == Step.ARRIVE)
    held = landed + ctx.rng.randint(1, 2)
    past = _span(ctx, held, held + 3)
    if past is None:
        return None
    steps = [p for p in milestones if p[1] <= landed]
    return past, [*steps, (Step.CUSTOMS_HOLD, held, HOURS[Step.CUSTOMS_HOLD])]


def _damaged(ctx: Context) -> Built:
    day = ctx.rng.randint(1, ctx.transit)
    past = _span(ctx, day, day + 3)
    if past is None:
        return None
    return past, [*_progress(ctx, day - 1, ctx.transit), (Step.DAMAGED, day, HOURS[Step.DAMAGED])]


BUILDERS: dict[Journey, Callable[[Context], Built]] = {
    J.ON_TIME: _on_time,
    J.DELIVERED_LATE: _delivered_late,
    J.LATE_IN_TRANSIT: _late_in_transit,
    J.STALLED: _stalled,
    J.LOST: _lost,
    J.FAILED_THEN_DELIVERED: _failed_then_delivered,
    J.TWO_FAILED_ATTEMPTS: _two_failed_attempts,
    J.AWAITING_PICKUP: _awaiting_pickup,
    J.ADDRESS_RETURNING: _address_returning,
    J.REFUSED_RETURNED: _refused_returned,
    J.NOT_SHIPPED: _not_shipped,
    J.CUSTOMS_HOLD: _customs_hold,
    J.DAMAGED: _damaged,
    J.UNKNOWN_CODE: _unknown_code,
    J.LABEL_CREATED: _label_created,
    J.IN_TRANSIT: _in_transit,
}


def pool(route: Route, weights: dict[Journey, int]) -> dict[Journey, int]:
    """The weights of the kinds this carrier can tell, the others dropped."""
    return {k: w for k, w in weights.items() if w > 0 and capable(route, k)}


def plan(ctx: Context, weights: dict[Journey, int]) -> Plan:
    """Draw a kind from `weights` (see `pool`) that fits the window, and plan its steps."""
    left = dict(weights)
    while left:
        kinds = list(left)
        kind = ctx.rng.choices(kinds, weights=[left[k] for k in kinds])[0]
        built = BUILDERS[kind](ctx)
        if built is not None:
            return Plan(kind, built[0], built[1])
        del left[kind]
    # Only reached with weights that allow nothing: the plainest story, a label yesterday.
    return Plan(J.LABEL_CREATED, 0, [(Step.INFO, 0, None)])

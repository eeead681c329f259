"""The plain Markov model of scenarios/markov-check.toml in vectorised numpy,
the program a researcher would write: fleksim's speed peer (issue 13).

Same states (LY, flexjob, gone), the same constant monthly hazards and
Poisson arrivals, one global generator. People are the cells of a
replications x places matrix (0 = empty: gone or not yet arrived); one
uniform number a person-month decides between the two ways out and staying,
as in fleksim. Usage: python3 benches/peer/markov.py [replications] [months]
"""
import sys
import time
import numpy as np

REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 400
MONTHS = int(sys.argv[2]) if len(sys.argv) > 2 else 60
LY0, FLEX0, VISIT, DIRECT = 334, 1934, 15.0, 10.0
FIND, LY_EXIT, DISMISS, FLEX_EXIT = 0.065, 0.013, 0.0057, 0.009
EMPTY, LY, FLEX = 0, 1, 2  # LY ^ 3 == FLEX: a move flips both bits

clock = time.perf_counter()
rng = np.random.default_rng(1)
state = np.zeros((REPS, LY0 + FLEX0 + int(MONTHS * (VISIT + DIRECT) * 2)), np.int8)
state[:, :LY0], state[:, LY0:LY0 + FLEX0] = LY, FLEX
used = np.full(REPS, LY0 + FLEX0)  # places taken so far in each replication
ly_stock, flex_stock = np.zeros((MONTHS, REPS)), np.zeros((MONTHS, REPS))
person_months = 0
for t in range(MONTHS):
    if t % 12 == 0:  # move the empty places to the end
        state[:] = -np.sort(-state, axis=1)
        used = np.count_nonzero(state, axis=1)
    for rate, code in ((VISIT, LY), (DIRECT, FLEX)):
        n = rng.poisson(rate, REPS)
        rows = np.repeat(np.arange(REPS), n)
        state[rows, used[rows] + np.arange(n.sum()) - np.repeat(n.cumsum() - n, n)] = code
        used += n
    s = state[:, :used.max()]
    person_months += np.count_nonzero(s)
    u = rng.random(s.shape, dtype=np.float32)
    on_ly, on_flex = s == LY, s == FLEX
    move = (on_ly & (u < FIND)) | (on_flex & (u < DISMISS))
    out = (on_ly & (u < FIND + LY_EXIT)) | (on_flex & (u < DISMISS + FLEX_EXIT))
    s[:] = (s ^ (move * np.int8(3))) * (move | ~out)
    ly_stock[t], flex_stock[t] = np.count_nonzero(s == LY, 1), np.count_nonzero(s == FLEX, 1)
seconds = time.perf_counter() - clock
print(f"{REPS} replications x {MONTHS} months: {person_months / 1e6:.1f} M person-months "
      f"in {seconds:.2f} s ({person_months / seconds / 1e6:.0f} M/s)", file=sys.stderr)
print(f"last month, mean over replications: LY {ly_stock[-1].mean():.1f}, "
      f"flexjob {flex_stock[-1].mean():.1f}")

"""Compare: what the articles of one story say side by side (stage 5). `matching` lines up
sentences and entities across outlets, `conflicts` finds values that cannot both hold,
`claims` turns sentence families into claims with statuses, `framing` finds word choices,
and `story.compare_story` runs them in order; `profiles` gathers framing by outlet across
stories."""

from crosswire.compare.framing import LOADED
from crosswire.compare.matching import outlet_of
from crosswire.compare.profiles import outlet_profiles
from crosswire.compare.story import compare_story

__all__ = ["LOADED", "compare_story", "outlet_of", "outlet_profiles"]

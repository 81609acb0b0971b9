"""Stories: articles grouped into one story per event (stage 4), in batch or as a stream.

Syndicated copies are found first (`find_duplicates`) and counted once; `StoryIndex` files
articles one chunk at a time (the streaming path, and what `--db` keeps between runs);
`group_stories` groups a batch.

Modules, from the bottom up: `features` (what is taken from one article), `similarity` (how
two articles are compared), `copies` (syndicated copies), `batch` (grouping a batch, story
titles), `languages` (stories in different languages joined), `postings` (the streaming
index's term rows and postings), `clusters` (its clusters and their merging into stories),
`window` (its time window), `saved` (its saved form), `originals` (which member of each copy
group it clusters) and `index` (`StoryIndex` itself).
"""

from crosswire.stories.batch import group_stories, story_title
from crosswire.stories.copies import find_duplicates
from crosswire.stories.features import PreparedArticle, prepare_articles
from crosswire.stories.index import StoryIndex
from crosswire.stories.languages import join_across_languages

__all__ = [
    "PreparedArticle",
    "StoryIndex",
    "find_duplicates",
    "group_stories",
    "join_across_languages",
    "prepare_articles",
    "story_title",
]

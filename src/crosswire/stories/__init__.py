"""Stories: articles grouped into one story per event (stage 4), in batch or as a stream.

Syndicated copies are found first (`find_duplicates`) and counted once; `StoryIndex` files
articles one chunk at a time (the streaming path, and what `--db` keeps between runs);
`group_stories` groups a batch.
"""

from crosswire.stories.index import (
    PreparedArticle,
    StoryIndex,
    find_duplicates,
    group_stories,
    prepare_articles,
    story_title,
)

__all__ = [
    "PreparedArticle",
    "StoryIndex",
    "find_duplicates",
    "group_stories",
    "prepare_articles",
    "story_title",
]

"""Story clustering: group incoming articles into stories (one real-world event each).

``story_features(parsed)`` reads what assignment needs from an analysed article;
``StoryIndex(options).assign(features)`` returns the story id it joins or starts.
"""

from .cluster import StoryIndex, StoryState
from .features import StoryFeatures, story_features

__all__ = ["StoryFeatures", "StoryIndex", "StoryState", "story_features"]

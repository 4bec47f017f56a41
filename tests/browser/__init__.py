from pathlib import Path

# Screenshots of the browser tests, for people to look at (not compared by the tests).
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"

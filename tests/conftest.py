import sys
from pathlib import Path

# deckmaker (the PDF fixture builder) lives beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

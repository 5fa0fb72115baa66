"""The run screen and its thin adapters: launching a run, the engine tick, recording, the screen itself."""

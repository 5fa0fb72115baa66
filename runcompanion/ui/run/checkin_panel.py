"""The run screen's ten-second check-in ("How do you feel right now?"), and the sizes its text grows to.

The check-in is answered from the treadmill, two metres from the screen, like everything else there: its
questions, scale buttons and scale ends grow with the window as the run screen's control buttons do (they were
a desktop's 12 px at 1920x1080), and shrink back to fit 800x480. The shorter-run offer under it
(ui/run/shorter_offer.py) uses the same sizes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from runcompanion.core.mood import AROUSAL, FEELING
from runcompanion.ui.common.scale_buttons import ScaleButtons
from runcompanion.ui.common.widgets import RoundedPanel
from runcompanion.ui.run.digits import font

COMPACT_BELOW_PX = 600
"""Below this screen height the run screen is compact: the lines meant for the hand make room for the digits."""


def control_text_px(height: int) -> int:
    """The pixel size of the run screen's control text (buttons, the check-in) for a screen this high."""
    return max(int(height * 0.022), 13)


def control_height_px(height: int) -> int:
    """The height of the run screen's buttons for a screen this high."""
    return 26 if height < COMPACT_BELOW_PX else max(36, int(height * 0.05))


class CheckinPanel(RoundedPanel):
    """Two scales, one tap each, never required. The buttons take no focus: keys belong to the run screen."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("checkin")
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 8, 14, 8)
        self.feeling_question = QLabel("How do you feel right now?")
        self.feeling = ScaleButtons(
            [(v, FEELING.label(v)) for v in FEELING.points],
            "Very bad",
            "Very good",
            signed=True,
            button_px=34,
            name="How do you feel right now?",
            focusable=False,
        )
        self.arousal_question = QLabel("How energised? (optional)")
        self.arousal = ScaleButtons(
            [(v, AROUSAL.label(v)) for v in AROUSAL.points],
            "Calm, low",
            "Fired up",
            button_px=34,
            name="How energised?",
            focusable=False,
        )
        feeling_box = QVBoxLayout()
        feeling_box.addWidget(self.feeling_question)
        feeling_box.addWidget(self.feeling)
        arousal_box = QVBoxLayout()
        arousal_box.addWidget(self.arousal_question)
        arousal_box.addWidget(self.arousal)
        row.addLayout(feeling_box, 11)
        row.addSpacing(16)
        row.addLayout(arousal_box, 6)
        self.hide()

    def scale_to(self, height: int) -> None:
        """Sizes for a run screen ``height`` pixels high."""
        text = font(control_text_px(height), bold=False)
        # 34 px stays the least: a finger's tap on a small screen.
        button_px = max(34, control_height_px(height))
        for question in (self.feeling_question, self.arousal_question):
            question.setFont(text)
        for scale in (self.feeling, self.arousal):
            scale.set_scale(text, button_px)

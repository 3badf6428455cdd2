"""The Qt desktop application (the only part of nibi_desk that imports Qt)."""

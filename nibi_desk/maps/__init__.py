"""Maps without a browser or Qt: MBTiles basemaps, Web Mercator maths and static map images."""

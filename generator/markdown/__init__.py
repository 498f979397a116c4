"""One Markdown parser for every page: parse once, decide visibility on its blocks, render from what is kept."""

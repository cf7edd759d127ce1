"""Figures for a period: statistics, the annual return, the review's sentences, files, charts."""

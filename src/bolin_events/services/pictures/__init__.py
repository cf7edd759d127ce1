"""Pictures of events and categories: resized files (images), which picture an event shows
and its rows (records), and the share image a visitor saves from their phone (card, fonts)."""

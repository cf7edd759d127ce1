from bolin_events.cli import main

main()

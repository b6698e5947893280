"""The window around the work: main window, menus, status bar, sign-in, search, tabs."""

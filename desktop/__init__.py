"""The composition root: builds the Qt application, wires core services to the views."""

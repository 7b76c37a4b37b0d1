"""The admin API (``/__admin/...``): reset, clock, journal, config, and each backend's own routes."""

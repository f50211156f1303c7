-- Door lookups: scans per device (device list), double entries per event (live counts screen).
CREATE INDEX scans_device ON scans (device_id) WHERE device_id IS NOT NULL;
CREATE INDEX double_entries_event_day ON double_entries (event_id, day);

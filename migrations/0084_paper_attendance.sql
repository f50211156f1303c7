-- Attendance ticked on a screen from a paper sign-in list: each admission it
-- makes is logged in the scan log with the method 'paper', beside the door's
-- scans, so that the log explains every admission the reports count.
ALTER TABLE scans DROP CONSTRAINT scans_method_check;
ALTER TABLE scans ADD CONSTRAINT scans_method_check
    CHECK (method IN ('qr', 'keyboard', 'manual', 'walkin', 'undo', 'paper'));

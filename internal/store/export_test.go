package store

// HotReady reports whether the door's statements are prepared.
func (s *Store) HotReady() bool { return s.prep.stmts.Load() != nil }

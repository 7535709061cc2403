package creds

import "time"

// The test seams of the sources.

// Expiry is the cached keys' expiry and how many keys were obtained so far.
func (s *RefreshingSource) Expiry() (time.Time, int) {
	s.sem <- struct{}{}
	defer s.unlock()
	return s.expires, s.renewals
}

package api

import (
	"github.com/decode-attend/attend/internal/certificates"
	"github.com/decode-attend/attend/internal/store"
)

// CertificatesAPI serves an event's certificate settings (the signatory and
// the automatic send) as part of the programme API, with its body rules.
type CertificatesAPI struct {
	*ProgrammeAPI
	Certs *certificates.Service
}

// certificateSettingsJSON is the settings' JSON form.
type certificateSettingsJSON struct {
	SignatoryName     string `json:"signatory_name"`
	SignatoryPosition string `json:"signatory_position"`
	AutoSend          bool   `json:"auto_send"`
}

func settingsJSON(cs store.CertificateSettings) certificateSettingsJSON {
	return certificateSettingsJSON{SignatoryName: cs.SignatoryName, SignatoryPosition: cs.SignatoryPosition, AutoSend: cs.AutoSend}
}

// certificateSettingsBody is a PATCH body: the fields it names change.
type certificateSettingsBody struct {
	SignatoryName     optional[string] `json:"signatory_name"`
	SignatoryPosition optional[string] `json:"signatory_position"`
	AutoSend          optional[bool]   `json:"auto_send"`
}

package web

import (
	"bytes"
	"compress/gzip"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// compressible lists the asset types worth compressing; images other than SVG
// and fonts are compressed already.
var compressible = map[string]bool{
	".js": true, ".mjs": true, ".css": true, ".svg": true, ".wasm": true,
	".json": true, ".webmanifest": true, ".html": true, ".txt": true, ".map": true,
}

// brotliBest is the size up to which an asset gets brotli's best level (11).
// Above it level 9: level 11 takes about 5 s on the 1.09 MB QR decoder and
// would stall the first scanner load after a start, for 12% fewer bytes.
const brotliBest = 256 << 10

// encodedAsset holds the compressed variants of one embedded file, made once
// on first request (the embedded files never change while the process runs).
// A variant is kept only when it is smaller than the original.
type encodedAsset struct {
	once     sync.Once
	br, gzip []byte
}

// assetEncodings caches the variants per asset path for one server.
type assetEncodings struct {
	mu    sync.Mutex
	files map[string]*encodedAsset
}

func (e *assetEncodings) get(p string, raw []byte) *encodedAsset {
	e.mu.Lock()
	if e.files == nil {
		e.files = map[string]*encodedAsset{}
	}
	a := e.files[p]
	if a == nil {
		a = &encodedAsset{}
		e.files[p] = a
	}
	e.mu.Unlock()
	a.once.Do(func() {
		level := brotli.BestCompression
		if len(raw) > brotliBest {
			level = 9
		}
		var b bytes.Buffer
		bw := brotli.NewWriterLevel(&b, level)
		bw.Write(raw)
		if bw.Close() == nil && b.Len() < len(raw) {
			a.br = bytes.Clone(b.Bytes())
		}
		b.Reset()
		gw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		gw.Write(raw)
		if gw.Close() == nil && b.Len() < len(raw) {
			a.gzip = bytes.Clone(b.Bytes())
		}
	})
	return a
}

// acceptsEncoding reports whether an Accept-Encoding header allows coding
// (a q of 0 refuses it; "*" stands for any coding not named).
func acceptsEncoding(header, coding string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		switch name {
		case coding:
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}

// pickEncoding chooses the variant to send: brotli first, then gzip, else the
// original (coding "").
func (e *assetEncodings) pick(p string, raw []byte, acceptEncoding string) (string, []byte) {
	if !compressible[strings.ToLower(path.Ext(p))] || acceptEncoding == "" {
		return "", raw
	}
	a := e.get(p, raw)
	if a.br != nil && acceptsEncoding(acceptEncoding, "br") {
		return "br", a.br
	}
	if a.gzip != nil && acceptsEncoding(acceptEncoding, "gzip") {
		return "gzip", a.gzip
	}
	return "", raw
}

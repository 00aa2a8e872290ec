package model

import "strings"

// Sample is a plausible example value, shared by the Go, CLI and JSON examples of the docs so that
// they show the same call. Exactly one of Scalar, Items, Fields or File is meaningful, by type.
type Sample struct {
	Scalar any            // string, int, float64 or bool
	Items  []*Sample      // arrays: one item
	Fields []*SampleField // named structures and objects, in order
	File   string         // base64 and file: a file name the example reads
}

// SampleField is one key of a structure or object sample.
type SampleField struct {
	Key   string // wire name
	Field *Field // nil for the keys of a free object
	Value *Sample
}

// sampleOf derives an example from the spec type and the field's name and enum: deterministic,
// and close enough to real values to be read as an example (chat 872, message 15660).
func (b *builder) sampleOf(expr, wire string, enum []string, depth int) *Sample {
	if isSlice(expr) {
		return &Sample{Items: []*Sample{b.sampleOf(elemOf(expr), wire, enum, depth)}}
	}
	if isMap(expr) {
		v := b.sampleOf(expr[len(mapPrefix):], "ID", nil, depth+1)
		if strings.EqualFold(wire, "order") && expr == mapPrefix+"string" {
			v = &Sample{Scalar: "ASC"} // the sort direction Bitrix24 expects
		}
		return &Sample{Fields: []*SampleField{{Key: "ID", Value: v}}}
	}
	lw := strings.ToLower(wire)
	switch expr {
	case "string", "any":
		switch {
		case len(enum) > 0:
			return &Sample{Scalar: enum[0]}
		case strings.Contains(lw, "url") || strings.Contains(lw, "link"):
			return &Sample{Scalar: "https://example.com/file.png"}
		case strings.Contains(lw, "title") || strings.Contains(lw, "name"):
			return &Sample{Scalar: "Example"}
		case strings.Contains(lw, "message") || strings.Contains(lw, "text"):
			return &Sample{Scalar: "Hello"}
		}
		return &Sample{Scalar: "text"}
	case "date":
		return &Sample{Scalar: "2024-04-07"}
	case "datetime":
		return &Sample{Scalar: "2024-04-07T13:34:42+03:00"}
	case "integer":
		return &Sample{Scalar: 10}
	case "id":
		switch {
		case strings.Contains(lw, "chat"):
			return &Sample{Scalar: 872}
		case strings.Contains(lw, "message"):
			return &Sample{Scalar: 15660}
		}
		return &Sample{Scalar: 1}
	case "number":
		return &Sample{Scalar: 1.5}
	case "boolean":
		return &Sample{Scalar: true}
	case "dialog_id":
		return &Sample{Scalar: "chat872"}
	case "lang":
		return &Sample{Fields: []*SampleField{{Key: "en", Value: &Sample{Scalar: "Example"}}, {Key: "ru", Value: &Sample{Scalar: "Пример"}}}}
	case "object":
		return &Sample{Fields: []*SampleField{{Key: "ID", Value: &Sample{Scalar: 1}}}}
	case "base64":
		return &Sample{File: "picture.png"}
	case "file":
		return &Sample{File: "document.pdf"}
	}
	return b.structSample(b.structs[b.nsName+"."+expr], depth)
}

// sampleField is a field's example: its generated structure filled, or a value of its type.
func (b *builder) sampleField(f *Field, depth int) *Sample {
	if f.Struct == nil {
		return b.sampleOf(f.Spec, f.Wire, f.Enum, depth)
	}
	s := b.structSample(f.Struct, depth)
	if isSlice(f.Spec) {
		return &Sample{Items: []*Sample{s}}
	}
	return s
}

// structSample fills a structure's sample fields (see sampleFields), down to a few levels.
func (b *builder) structSample(st *Struct, depth int) *Sample {
	s := &Sample{Fields: []*SampleField{}}
	if st == nil || depth > 3 {
		return s
	}
	for _, f := range sampleFields(st.Fields) {
		s.Fields = append(s.Fields, &SampleField{Key: f.Wire, Field: f, Value: b.sampleField(f, depth+1)})
	}
	return s
}

// sampleFields are the fields an example fills: the required ones, or the first one when none is.
func sampleFields(fs []*Field) []*Field {
	var out []*Field
	for _, f := range fs {
		if f.Required {
			out = append(out, f)
		}
	}
	if len(out) == 0 && len(fs) > 0 {
		out = fs[:1]
	}
	return out
}

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

// sampleOf derives an example from the value and the field's name and enum: deterministic, and
// close enough to real values to be read as an example (chat 872, message 15660).
func (b *builder) sampleOf(v *Value, wire string, enum []string, depth int) *Sample {
	switch v.Shape {
	case ListValue:
		return &Sample{Items: []*Sample{b.sampleOf(v.Elem, wire, enum, depth)}}
	case MapValue:
		s := b.sampleOf(v.Elem, "ID", nil, depth+1)
		if strings.EqualFold(wire, "order") && v.Elem.Shape == ScalarValue && v.Elem.Scalar == String {
			s = &Sample{Scalar: "ASC"} // the sort direction Bitrix24 expects
		}
		return &Sample{Fields: []*SampleField{{Key: "ID", Value: s}}}
	case ObjectValue:
		if v.Named != "" {
			return b.structSample(v.Struct, depth)
		}
		return &Sample{Fields: []*SampleField{{Key: "ID", Value: &Sample{Scalar: 1}}}}
	case AnyValue:
		if len(enum) > 0 {
			return &Sample{Scalar: enum[0]}
		}
		return textSample(strings.ToLower(wire))
	}
	if v.Scalar == String && len(enum) > 0 {
		return &Sample{Scalar: enum[0]}
	}
	return v.Scalar.sample(strings.ToLower(wire))
}

// sampleField is a field's example: its generated structure filled, or a value of its type.
func (b *builder) sampleField(f *Field, depth int) *Sample {
	if f.Struct == nil {
		return b.sampleOf(f.Value, f.Wire, f.Enum, depth)
	}
	s := b.structSample(f.Struct, depth)
	if f.Value.Shape == ListValue {
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
		if f.DocsRequired() {
			out = append(out, f)
		}
	}
	if len(out) == 0 && len(fs) > 0 {
		out = fs[:1]
	}
	return out
}

module example.com/custom

go 1.26.0

require github.com/b24gen/b24gen v0.0.0

require (
	github.com/dave/jennifer v1.7.1 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

replace github.com/b24gen/b24gen => ../..

tool github.com/b24gen/b24gen/generator

package ociimage

import (
	"encoding/json"
	"fmt"
	"path"
)

// dockerPlatforms reads a `docker save` archive: manifest.json lists each
// image's config and layers by path, and the platform is the config's.
func (c *contents) dockerPlatforms() ([]Platform, error) {
	b, err := c.jsonFile(dockerFile)
	if err != nil {
		return nil, err
	}
	var imgs []dockerImage
	if err := json.Unmarshal(b, &imgs); err != nil {
		return nil, notImage("%s: %v", dockerFile, err)
	}
	var ps []Platform
	for i, img := range imgs {
		where := fmt.Sprintf("%s[%d]", dockerFile, i)
		if img.Config == "" {
			return nil, notImage("%s: no Config", where)
		}
		for _, l := range img.Layers {
			if _, ok := c.size(path.Clean(l)); !ok {
				return nil, notImage("%s: layer %s is missing", where, l)
			}
		}
		name := path.Clean(img.Config)
		cb, err := c.jsonFile(name)
		if err != nil {
			return nil, fmt.Errorf("%s: config: %w", where, err)
		}
		p, err := configPlatform(name, cb)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

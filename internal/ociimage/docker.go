package ociimage

import (
	"encoding/json"
	"fmt"
	"path"
)

// dockerImages reads a `docker save` archive: manifest.json lists each
// image's config and layers by path, and the platform is the config's.
func (c *contents) dockerImages() ([]Image, error) {
	b, err := c.jsonFile(dockerFile)
	if err != nil {
		return nil, err
	}
	var imgs []dockerImage
	if err := json.Unmarshal(b, &imgs); err != nil {
		return nil, notImage("%s: %v", dockerFile, err)
	}
	var out []Image
	for i, img := range imgs {
		where := fmt.Sprintf("%s[%d]", dockerFile, i)
		if img.Config == "" {
			return nil, notImage("%s: no Config", where)
		}
		var layers []string
		for _, l := range img.Layers {
			if _, ok := c.size(path.Clean(l)); !ok {
				return nil, notImage("%s: layer %s is missing", where, l)
			}
			layers = append(layers, c.resolve(path.Clean(l)))
		}
		name := path.Clean(img.Config)
		cb, err := c.jsonFile(name)
		if err != nil {
			return nil, fmt.Errorf("%s: config: %w", where, err)
		}
		im, err := configImage(name, cb)
		if err != nil {
			return nil, err
		}
		im.Layers = layers
		out = append(out, im)
	}
	return out, nil
}

-- Figures saved as PDF (or EPS): pandoc's HTML writer writes an image whose name ends
-- in .pdf as <embed>, which the sanitiser removes (and with it the alt text). With the
-- dot of the extension percent-encoded ("fig%2Epdf") pandoc writes an <img> like any
-- other; the trust boundary (read/boundary.py) decodes the address, and a PDF figure
-- becomes an SVG drawing (read/pdf_figures.py). EPS goes the same way, to be refused
-- there at its line with what to do. An https: figure is encoded alike (publish fetch
-- and the build both read the address from this one pandoc run, and a server reads
-- %2E as a dot); other addresses are left as they are.
local KINDS = { pdf = true, eps = true }

function Image(img)
  local src = img.src
  local remote = src:lower():match("^https://") ~= nil
  if not remote and (src:match("^%a[%w+.-]*:") or src:match("^//")) then
    return nil
  end
  local path, rest = src:match("^([^?#]*)(.*)$")
  local stem, ext = path:match("^(.*)%.(%w+)$")
  if stem and KINDS[ext:lower()] then
    img.src = stem .. "%2E" .. ext .. rest
    return img
  end
  return nil
end

-- French spacing, in a text whose `lang` is French (fr, fr-CA...): the space an author
-- typed before ; : ! ? » % and after « becomes a no-break space, so that a line never
-- starts with the punctuation or ends on an opening guillemet. A narrow one (U+202F)
-- before ; ! ? and inside guillemets, a full one (U+00A0) before the colon, as the
-- Imprimerie nationale sets them. Spaces the author typed as no-break ones are kept.
-- Code, math and URLs are other elements and are not touched.

local NNBSP, NBSP = "\u{202F}", "\u{00A0}"
local BEFORE = { [";"] = NNBSP, ["!"] = NNBSP, ["?"] = NNBSP, ["»"] = NNBSP, ["%"] = NNBSP, [":"] = NBSP }

local function first_char(s)
  return s:match("^[%z\1-\127\194-\244][\128-\191]*")
end

local function last_char(s)
  return s:match("[%z\1-\127\194-\244][\128-\191]*$")
end

local function french(inlines)
  local out = pandoc.Inlines({})
  local i = 1
  while i <= #inlines do
    local el, nxt = inlines[i], inlines[i + 1]
    if el.t == "Space" and nxt and nxt.t == "Str" and BEFORE[first_char(nxt.text)] then
      nxt.text = BEFORE[first_char(nxt.text)] .. nxt.text
    elseif el.t == "Str" and last_char(el.text) == "«" and nxt and nxt.t == "Space" then
      el.text = el.text .. NNBSP
      out:insert(el)
      i = i + 1 -- the space after « is replaced
    else
      out:insert(el)
    end
    i = i + 1
  end
  return out
end

-- A heading with no words (JOSS papers use `#` lines as spacers) is left out: it would
-- be an empty entry in the EPUB's contents and the PDF's bookmarks, and would take a
-- section number. read/diagnose.py warns at its line.
function Header(h)
  if #h.content == 0 then return {} end
end

function Pandoc(doc)
  local lang = doc.meta.lang and pandoc.utils.stringify(doc.meta.lang) or ""
  if not lang:lower():match("^fr") then return nil end
  return doc:walk({ Inlines = french })
end

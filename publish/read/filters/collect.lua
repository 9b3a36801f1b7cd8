-- Runs inside the one pandoc conversion of a manuscript. It takes the notes
-- out of the flow (each edition places them in its own way: endnotes,
-- pop-up footnotes, page-bottom footnotes), renders the rich metadata fields
-- to HTML with the same reader, and reports what Python needs to know about
-- the text (note calls without a note, notes inside notes, raw HTML pieces).
--
-- Output layout (all markers are HTML comments that pandoc passes through;
-- MARK is publish.document.Markers.prefix, a token drawn for each reading and
-- given in the environment, so that no manuscript can write a marker):
--   body with <!--MARK noteref N--> at each call
--   <!--MARK note N--> note N's HTML <!--MARK /note-->   (one per note)
--   <!--MARK report {json}-->                          (always last)

local MARK = os.getenv("PUBLISH_MARK") or error("PUBLISH_MARK is not set")
local notes = {}
local report = { raw = 0, shifted = false, images = {}, unresolved = {}, nested = {}, meta = {} }

local function html_of_blocks(blocks)
  return pandoc.write(pandoc.Pandoc(blocks), "html5", { wrap_text = "none" })
end

local function html_of_inlines(inlines)
  return html_of_blocks({ pandoc.Plain(inlines) })
end

-- Raw HTML in metadata would reach <title> and the OPF unescaped: show it as text.
local function literal_raw(value)
  return value:walk({
    RawInline = function(el) return pandoc.Str(el.text) end,
    RawBlock = function(el) return pandoc.Para({ pandoc.Str(el.text) }) end,
  })
end

-- The text of blocks with a space between them: stringify runs paragraphs and list
-- items together ("First para.Second para."), which the metadata's plain text (the
-- description, JSON-LD, citation_abstract) would carry.
local function text_of_blocks(blocks)
  local parts = {}
  local function add(block) table.insert(parts, pandoc.utils.stringify(block)) end
  blocks:walk({ Para = add, Plain = add, Header = add, LineBlock = add,
    CodeBlock = function(block) table.insert(parts, block.text) end })
  if #parts == 0 then return pandoc.utils.stringify(blocks) end
  return table.concat(parts, " ")
end

local function collect_meta(value, path)
  local t = pandoc.utils.type(value)
  if t == "Inlines" then
    local v = literal_raw(pandoc.Inlines(value))
    report.meta[path] = { html = html_of_inlines(v), text = pandoc.utils.stringify(v) }
  elseif t == "Blocks" then
    local v = literal_raw(pandoc.Blocks(value))
    report.meta[path] = { html = html_of_blocks(v), text = text_of_blocks(v) }
  elseif t == "List" then
    for i, item in ipairs(value) do collect_meta(item, path .. "." .. (i - 1)) end
  elseif t == "Meta" or t == "table" then
    for key, item in pairs(value) do collect_meta(item, path == "" and key or path .. "." .. key) end
  end
end

local inventory = {
  -- pandoc writes an image whose name is not a picture's as <embed>: Python needs to
  -- know that such an <embed> was an image, to say so.
  Image = function(el) table.insert(report.images, el.src) end,
  RawInline = function(el)
    if el.format:match("html") then report.raw = report.raw + 1 end
  end,
  RawBlock = function(el)
    if el.format:match("html") then report.raw = report.raw + 1 end
  end,
  Str = function(el)
    -- pandoc leaves a call without a definition as literal text and only warns.
    local label = el.text:match("%[%^([^%]]+)%]")
    if label then table.insert(report.unresolved, label) end
  end,
}

-- The title is the document's only level-1 heading, so a text that uses level 1 for its
-- sections moves every heading down one level.
local function shift_headings(doc)
  local top = false
  doc:walk({ Header = function(h) if h.level == 1 then top = true end end })
  if not top then return doc end
  report.shifted = true
  return doc:walk({ Header = function(h) h.level = math.min(h.level + 1, 6); return h end })
end

function Pandoc(doc)
  collect_meta(doc.meta, "")
  doc = shift_headings(doc)
  doc:walk(inventory)
  -- A note inside a note has no place to go in any edition: its text is set in
  -- parentheses where it was called, and Python warns about it.
  local function flatten(content)
    return content:walk({
      Note = function(inner)
        table.insert(report.nested, pandoc.utils.stringify(inner.content))
        -- A space before the parenthesis: a call stands right after its word.
        local words = pandoc.Inlines({ pandoc.Space(), pandoc.Str("(") })
        words:extend(pandoc.utils.blocks_to_inlines(inner.content))
        words:insert(pandoc.Str(")"))
        return pandoc.Span(words)
      end,
    })
  end
  doc = doc:walk({
    traverse = "topdown",
    Note = function(note)
      table.insert(notes, flatten(note.content))
      return pandoc.RawInline("html", "<!--" .. MARK .. " noteref " .. #notes .. "-->"), false
    end,
  })

  local blocks = doc.blocks
  for i, content in ipairs(notes) do
    blocks:insert(pandoc.RawBlock("html", "<!--" .. MARK .. " note " .. i .. "-->"))
    blocks:extend(content)
    blocks:insert(pandoc.RawBlock("html", "<!--" .. MARK .. " /note-->"))
  end
  blocks:insert(pandoc.RawBlock("html", "<!--" .. MARK .. " report " .. pandoc.json.encode(report) .. "-->"))
  return pandoc.Pandoc(blocks, pandoc.Meta({}))
end

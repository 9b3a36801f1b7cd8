-- Cross-references in Quarto's syntax, inside the one pandoc run and before citeproc
-- (which would otherwise read @fig-x as a citation it cannot find).
--   ![Caption](x.png){#fig-x}   : Caption {#tbl-x}   $$ ... $$ {#eq-x}   ## Heading {#sec-x}
--   @fig-x -> "Figure 1" (a link), [-@fig-x] -> "1", [@fig-x; @fig-y] -> "Figures 1 and 2".
-- Captions are numbered ("Figure 1. ..."), equations get "(1)". The words come from
-- publish (metadata 'publish-label-*', in the text's language). Problems are logged as
-- "publish-crossref <kind> <id>" warnings, which Python turns into located diagnostics.

local KINDS = { fig = "figure", tbl = "table", eq = "equation", sec = "section" }
local words = {}
local numbers = {}   -- id -> number text
local counts = { fig = 0, tbl = 0, eq = 0 }

local function word(meta, name, fallback)
  local value = meta["publish-label-" .. name]
  return value and pandoc.utils.stringify(value) or fallback
end

local function kind_of(id)
  local prefix = id:match("^(%a+)%-")
  return prefix and KINDS[prefix] and prefix or nil
end

local function register(id, number)
  if numbers[id] then
    pandoc.log.warn("publish-crossref duplicate " .. id)
    return false
  end
  numbers[id] = number
  return true
end

local function label(kind, number)
  return pandoc.Inlines({ pandoc.Str(words[kind] .. "\u{a0}" .. number .. ".") })
end

local function prefix_caption(caption, kind, number)
  local lead = pandoc.Span(label(kind, number), { class = "caption-label" })
  local blocks = caption.long
  if #blocks > 0 and (blocks[1].t == "Plain" or blocks[1].t == "Para") then
    blocks[1].content:insert(1, pandoc.Space())
    blocks[1].content:insert(1, lead)
  else
    blocks:insert(1, pandoc.Plain({ lead }))
  end
  caption.long = blocks
  return caption
end

-- Display math followed by {#eq-x}: a span with the id and the number at the right.
local function equations(inlines)
  local out = pandoc.Inlines({})
  local i = 1
  while i <= #inlines do
    local el = inlines[i]
    local skip = (inlines[i + 1] and (inlines[i + 1].t == "Space" or inlines[i + 1].t == "SoftBreak")) and 1 or 0
    local tag = inlines[i + 1 + skip]
    local id = tag and tag.t == "Str" and tag.text:match("^{#(eq%-[^}%s]+)}$")
    if el.t == "Math" and el.mathtype == "DisplayMath" and id then
      counts.eq = counts.eq + 1
      local number = tostring(counts.eq)
      local attr = register(id, number) and pandoc.Attr(id, { "equation" }) or pandoc.Attr("", { "equation" })
      out:insert(pandoc.Span({ el, pandoc.Span({ pandoc.Str("(" .. number .. ")") }, { class = "equation-number" }) }, attr))
      i = i + 2 + skip
    else
      out:insert(el)
      i = i + 1
    end
  end
  return out
end

-- Quarto's figure div, ::: {#fig-x} content, then the caption as its last paragraph :::,
-- is a figure like an image with an id.
local function figure_divs(doc)
  return doc:walk({
    Div = function(div)
      if not div.identifier:match("^fig%-") or #div.content < 2 then return nil end
      local last = div.content[#div.content]
      if last.t ~= "Para" then return nil end
      local body = pandoc.Blocks({})
      for i = 1, #div.content - 1 do body:insert(div.content[i]) end
      return pandoc.Figure(body, { pandoc.Plain(last.content) }, pandoc.Attr(div.identifier))
    end,
  })
end

local function number_everything(doc)
  doc = figure_divs(doc)
  local top = 6
  local any_section = false
  doc:walk({ Header = function(h)
    top = math.min(top, h.level)
    if h.identifier:match("^sec%-") then any_section = true end
  end })
  local levels = {}
  -- An empty heading that ends the text ("# References", where the bibliography goes;
  -- unless cross-references name it) and one marked {.unnumbered} take no number.
  local last = doc.blocks[#doc.blocks]
  local trailing = last and last.t == "Header" and not last.identifier:match("^sec%-") and last or nil
  return doc:walk({
    traverse = "topdown",
    Header = function(h)
      if h == trailing or h.classes:includes("unnumbered") then return h end
      local depth = h.level - top + 1
      levels[depth] = (levels[depth] or 0) + 1
      for d = depth + 1, 6 do levels[d] = nil end
      local parts = {}
      for d = 1, depth do table.insert(parts, tostring(levels[d] or 0)) end
      local number = table.concat(parts, ".")
      -- A second element with an id keeps its number and loses the id (Python warns
      -- once, at the second one): references lead to the first, as in LaTeX.
      if h.identifier:match("^sec%-") and not register(h.identifier, number) then
        h.identifier = ""
      end
      -- A section named in the text is found by its number: number every heading then.
      if any_section then
        h.content:insert(1, pandoc.Space())
        h.content:insert(1, pandoc.Span({ pandoc.Str(number) }, { class = "section-number" }))
      end
      return h
    end,
    Figure = function(fig)
      if not fig.identifier:match("^fig%-") then return nil end
      counts.fig = counts.fig + 1
      local number = tostring(counts.fig)
      if not register(fig.identifier, number) then fig.identifier = "" end
      fig.caption = prefix_caption(fig.caption, "figure", number)
      return fig
    end,
    Table = function(tbl)
      if not tbl.identifier:match("^tbl%-") then return nil end
      counts.tbl = counts.tbl + 1
      local number = tostring(counts.tbl)
      if not register(tbl.identifier, number) then tbl.identifier = "" end
      tbl.caption = prefix_caption(tbl.caption, "table", number)
      return tbl
    end,
    Inlines = equations,
  })
end

local function join(items)
  local out = pandoc.Inlines({})
  for i, item in ipairs(items) do
    if i > 1 then
      if i == #items then
        out:extend({ pandoc.Space(), pandoc.Str(words["and"]), pandoc.Space() })
      else
        out:extend({ pandoc.Str(","), pandoc.Space() })
      end
    end
    out:extend(item)
  end
  return out
end

local function reference(cite)
  local groups, order = {}, {}
  for _, c in ipairs(cite.citations) do
    local prefix = kind_of(c.id)
    if not prefix then return nil end
    if not groups[prefix] then
      groups[prefix] = {}
      table.insert(order, prefix)
    end
    table.insert(groups[prefix], c)
  end
  local phrases = {}
  for _, prefix in ipairs(order) do
    local group = groups[prefix]
    local kind = KINDS[prefix]
    local bare = true
    local links = {}
    for _, c in ipairs(group) do
      if c.mode ~= "SuppressAuthor" then bare = false end
      local number = numbers[c.id]
      if not number then
        pandoc.log.warn("publish-crossref unknown " .. c.id)
        number = "??"
      end
      table.insert(links, { c, number })
    end
    local phrase = pandoc.Inlines({})
    local first = group[1]
    if #first.prefix > 0 then phrase:extend(first.prefix); phrase:insert(pandoc.Space()) end
    if #group == 1 and not bare then
      local c, number = links[1][1], links[1][2]
      phrase:insert(pandoc.Link({ pandoc.Str(words[kind] .. "\u{a0}" .. number) }, "#" .. c.id))
    else
      local items = {}
      for _, pair in ipairs(links) do
        table.insert(items, { pandoc.Link({ pandoc.Str(pair[2]) }, "#" .. pair[1].id) })
      end
      if not bare then phrase:extend({ pandoc.Str(words[kind .. "s"] .. "\u{a0}") }) end
      phrase:extend(join(items))
    end
    local last = group[#group]
    if #last.suffix > 0 then phrase:extend(last.suffix) end
    table.insert(phrases, phrase)
  end
  return pandoc.Span(join(phrases), { class = "crossref" })
end

-- PLOS's Quarto template names a section by its heading's words: [s1-video]{.nameref}
-- (LaTeX's \nameref{S1_Video}). A link to the heading, reading its words ("S1 Video.");
-- an id that no heading has stays as written, with the cross-references' warning.
local function namerefs(doc)
  local titles = {}
  doc:walk({ Header = function(h)
    if h.identifier ~= "" and not titles[h.identifier] then
      titles[h.identifier] = h.content:walk({
        Span = function(s) if s.classes:includes("section-number") then return {} end end,
        Note = function() return {} end,
      })
    end
  end })
  return doc:walk({ Span = function(span)
    if not span.classes:includes("nameref") then return nil end
    local id = pandoc.utils.stringify(span.content):gsub("^#", "")
    local title = titles[id]
    if not title then
      pandoc.log.warn("publish-crossref unknown " .. id)
      return nil
    end
    return pandoc.Link(title, "#" .. id, "", { class = "nameref" })
  end })
end

function Pandoc(doc)
  local meta = doc.meta
  words = {
    figure = word(meta, "figure", "Figure"), figures = word(meta, "figures", "Figures"),
    table = word(meta, "table", "Table"), tables = word(meta, "tables", "Tables"),
    equation = word(meta, "equation", "Equation"), equations = word(meta, "equations", "Equations"),
    section = word(meta, "section", "Section"), sections = word(meta, "sections", "Sections"),
    ["and"] = word(meta, "and", "and"),
  }
  doc = namerefs(number_everything(doc))
  return doc:walk({ Cite = reference })
end

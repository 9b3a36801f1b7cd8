-- LaTeX habits in Markdown papers (JOSS and the like), turned into what the rest of the
-- pipeline reads, before crossref.lua (which numbers them) and citeproc:
--   \label{fig:x} in a figure's caption, a table's caption, a heading or display math
--     gives that element the id crossref.lua numbers (fig-x, tbl-x, sec-x, eq-x);
--   \ref, \autoref, \eqref, \cref, \Cref become the same cross-references as @fig-x;
--   \begin{equation}...\end{equation} and raw figure environments are read with pandoc's
--     LaTeX reader; simple inline commands (\emph, \textbf, \textsc, \texttt...) too.
-- What cannot be read stays raw TeX, which diagnose.py reports at its line. A reference
-- to a label that nothing has is logged as "publish-latex unknown <command>", which
-- citations.py turns into a located warning.

local KIND_OF_PREFIX = {
  fig = "fig", figure = "fig", tab = "tbl", table = "tbl", tbl = "tbl",
  eq = "eq", eqn = "eq", equation = "eq", sec = "sec", section = "sec",
  subsec = "sec", subsection = "sec", chap = "sec", chapter = "sec",
}
local REFS = { ref = true, autoref = true, eqref = true, cref = true, Cref = true,
  ["autoref*"] = true, ["ref*"] = true }

local ids = {}  -- label -> id

local function is_tex(el)
  return el.format == "tex" or el.format == "latex"
end

-- Habits of JOSS papers that no LaTeX reader knows: \bold (set by JOSS's template),
-- \textunderscore followed by its space (the reader would drop it).
local function habits(text, math)
  text = text:gsub("\\textunderscore%s?", "\\_")
  -- Journal templates' own layout (PLOS's adjustwidth and \thickhline): only the page.
  text = text:gsub("\\begin{adjustwidth}{[^}]*}{[^}]*}", ""):gsub("\\end{adjustwidth}", "")
  text = text:gsub("\\thickhline", "\\hline")
  text = text:gsub("\\bold%s*{", math and "\\mathbf{" or "\\textbf{")
  return text
end

-- The id a label gives an element of `kind`: fig:x in a figure is fig-x; a label without
-- a prefix (pymecht's \label{ex-vivo-protocols}) takes the element's kind.
local function id_for(label, kind)
  local known = ids[label]
  if known then return known end
  local prefix, rest = label:match("^(%a+):(.+)$")
  local name = (prefix and KIND_OF_PREFIX[prefix:lower()]) and rest or label
  local id = kind .. "-" .. name:gsub("[^%w_-]", "-")
  ids[label] = id
  return id
end

-- The first \label{...} among `inlines` (RawInline), taken out; nil when there is none.
local function take_label(inlines)
  local found
  local out = inlines:walk({
    RawInline = function(el)
      if not is_tex(el) then return nil end
      local label = el.text:match("^\\label%s*{([^}]*)}%s*$")
      if label then
        found = found or label
        return {}
      end
    end,
  })
  -- A space left before the removed label ("Structure of `x` \label{...}").
  while #out > 0 and (out[#out].t == "Space" or out[#out].t == "SoftBreak") do
    out:remove(#out)
  end
  return found, out
end

local function caption_label(caption)
  local label
  for i, block in ipairs(caption.long) do
    if block.content then
      local found, content = take_label(block.content)
      if found then
        label = label or found
        caption.long[i].content = content
      end
    end
  end
  return label, caption
end

local MATH_ENVIRONMENTS = { equation = true, ["equation*"] = true, align = true,
  ["align*"] = true, gather = true, ["gather*"] = true, multline = true,
  ["multline*"] = true, eqnarray = true, ["eqnarray*"] = true, displaymath = true }

-- Commands that only arrange a figure on a LaTeX page: nothing is lost without them.
local LAYOUT = { centering = true, vspace = true, hspace = true, medskip = true,
  smallskip = true, bigskip = true, noindent = true, small = true, footnotesize = true,
  raggedright = true, hfill = true, vfill = true, par = true, label = true }

local function without_layout(blocks)
  local function layout(el)
    local command = el.text:match("^%s*\\(%a+)")
    if command and LAYOUT[command] then return {} end
  end
  return blocks:walk({ RawBlock = layout, RawInline = layout })
end

-- Read raw LaTeX with pandoc's reader; nil when it gives nothing better than raw TeX.
local function read_latex(text)
  local environment = text:match("^%s*\\begin%s*{([%a*]+)}")
  local ok, doc = pcall(pandoc.read, habits(text, MATH_ENVIRONMENTS[environment or ""]), "latex+raw_tex")
  if not ok then return nil end
  local raw_only = true
  doc.blocks:walk({
    Inline = function(el) if el.t ~= "RawInline" and el.t ~= "Space" then raw_only = false end end,
    Block = function(el)
      if el.t ~= "RawBlock" and el.t ~= "Para" and el.t ~= "Plain" then raw_only = false end
    end,
  })
  if raw_only then return nil end
  return doc.blocks:walk({ Figure = function(fig)
    fig.content = without_layout(fig.content)
    -- \includegraphics has no description: the caption is the image's alt text.
    local caption = pandoc.utils.blocks_to_inlines(fig.caption.long)
    fig.content = fig.content:walk({ Image = function(img)
      if #img.caption == 0 then
        img.caption = caption:walk({
          Cite = function() return {} end,
          RawInline = function(el) if el.text:match("^\\label") then return {} end end,
          Math = function(m)
            local text = pandoc.write(pandoc.Pandoc({ pandoc.Plain({ m }) }), "plain")
            return pandoc.Str((text:gsub("%s+$", "")))
          end,
        })
      end
      return img
    end })
    return fig
  end })
end

local function is_ref(text)
  local command = text:match("^\\(%a+%*?)%s*{[^}]*}$")
  return command and REFS[command]
end

local function is_label(text)
  return text:match("^\\label%s*{[^}]*}%s*$") ~= nil
end

-- Pass 1: raw LaTeX read as what it is.
local reading = {
  RawBlock = function(el)
    if not is_tex(el) then return nil end
    return read_latex(el.text)
  end,
  RawInline = function(el)
    if not is_tex(el) or is_ref(el.text) or is_label(el.text) then return nil end
    local blocks = read_latex(el.text)
    if not blocks then return nil end
    return pandoc.utils.blocks_to_inlines(blocks)
  end,
}

-- Display math with \label: the label goes, and {#eq-x} follows the formula as it does
-- in Quarto's syntax, for crossref.lua to number.
local function math_inlines(inlines)
  local out = pandoc.Inlines({})
  for _, el in ipairs(inlines) do
    if el.t == "Math" then
      local text = habits(el.text, true)
      local label
      if el.mathtype == "DisplayMath" then
        label = text:match("\\label%s*{([^}]*)}")
        text = text:gsub("\\label%s*{[^}]*}", ""):gsub("\\nonumber", ""):gsub("\\notag", "")
        -- The number is ours: an equation environment adds nothing else.
        local inner = text:match("^%s*\\begin{equation%*?}(.-)\\end{equation%*?}%s*$")
        text = inner or text
      end
      el.text = text
      out:insert(el)
      if label then
        out:insert(pandoc.Space())
        out:insert(pandoc.Str("{#" .. id_for(label, "eq") .. "}"))
      end
    else
      out:insert(el)
    end
  end
  return out
end

-- Pass 2: labels give ids.
local labelling = {
  Figure = function(fig)
    local label, caption = caption_label(fig.caption)
    fig.caption = caption
    if not label and fig.identifier ~= "" and not fig.identifier:match("^fig%-") then
      label = fig.identifier  -- from the LaTeX reader: \label{fig:raw}
    end
    if label then fig.identifier = id_for(label, "fig") end
    -- The image's own description (its alt text) held the label too.
    fig.content = fig.content:walk({
      Image = function(img)
        local _, description = take_label(img.caption)
        img.caption = description
        return img
      end,
    })
    return fig
  end,
  Table = function(tbl)
    local label, caption = caption_label(tbl.caption)
    tbl.caption = caption
    if not label and tbl.identifier ~= "" and not tbl.identifier:match("^tbl%-") then
      label = tbl.identifier  -- from the LaTeX reader: \label{table1}
    end
    if label then tbl.identifier = id_for(label, "tbl") end
    return tbl
  end,
  Header = function(h)
    local label, content = take_label(h.content)
    if label then
      h.content = content
      h.identifier = id_for(label, "sec")
    end
    return h
  end,
  Inlines = math_inlines,
}

local function reference(el)
  local command, list = el.text:match("^\\(%a+%*?)%s*{([^}]*)}$")
  local citations = {}
  local mode = (command == "ref" or command == "ref*" or command == "eqref")
    and "SuppressAuthor" or "NormalCitation"
  for label in list:gmatch("[^,]+") do
    label = label:match("^%s*(.-)%s*$")
    local id = ids[label]
    if not id then
      pandoc.log.warn("publish-latex unknown " .. el.text)
      return pandoc.Str("??")
    end
    table.insert(citations, pandoc.Citation(id, mode))
  end
  local cite = pandoc.Cite({ pandoc.Str(el.text) }, citations)
  if command == "eqref" then
    return { pandoc.Str("("), cite, pandoc.Str(")") }
  end
  return cite
end

-- bookdown's \@ref(fig:x) (pandoc reads the escaped @ as text): the number, as \ref.
local function bookdown(el)
  local label, rest = el.text:match("^@ref%(([^)]+)%)(.*)$")
  if not label then return nil end
  local prefix = label:match("^(%a+):")
  local kind = prefix and KIND_OF_PREFIX[prefix:lower()]
  if not kind then return nil end
  local id = ids[label] or id_for(label, kind)
  local cite = pandoc.Cite({ pandoc.Str(el.text) }, { pandoc.Citation(id, "SuppressAuthor") })
  return rest ~= "" and { cite, pandoc.Str(rest) } or cite
end

-- Pass 3: references become citations of the ids, which crossref.lua turns into links.
local referring = {
  RawInline = function(el)
    if is_tex(el) and is_ref(el.text) then return reference(el) end
  end,
  Str = bookdown,
}

function Pandoc(doc)
  doc = doc:walk(reading)
  doc = doc:walk(labelling)
  return doc:walk(referring)
end

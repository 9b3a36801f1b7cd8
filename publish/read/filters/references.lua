-- After citeproc: the bibliography becomes a section of its own, in the text's
-- language, with DPUB roles (role="doc-bibliography" on the section; pandoc already
-- gives the entries list/listitem roles, which DPUB-ARIA 1.1 asks for now that
-- doc-biblioentry is deprecated). It stays where a ::: {#refs} div stands, else
-- citeproc has put it after the text.
--
-- A heading of the manuscript's own right before it ("# References", which JOSS papers
-- end with, empty) is the bibliography's heading: one heading, not two, in every edition
-- and in the navigation.

local NAMES = {
  ["references"] = true, ["reference"] = true, ["bibliography"] = true,
  ["works cited"] = true, ["literature"] = true, ["literature cited"] = true,
  ["cited literature"] = true, ["sources"] = true, ["références"] = true,
  ["bibliographie"] = true, ["literatur"] = true, ["literaturverzeichnis"] = true,
  ["referencias"] = true, ["bibliografía"] = true, ["referências"] = true,
  ["bibliografia"] = true, ["riferimenti bibliografici"] = true,
}

local function names_references(header, word)
  local text = pandoc.text.lower(pandoc.utils.stringify(header.content))
  text = text:gsub("^%s+", ""):gsub("[%s:.]+$", "")
  return NAMES[text] or text == pandoc.text.lower(word)
end

-- The manuscript's own references heading right before the ::: {#refs} div, taken out
-- of the text (the section will hold it); nil when there is none.
local function own_heading(blocks, word)
  for i = 1, #blocks - 1 do
    local block, following = blocks[i], blocks[i + 1]
    if block.t == "Header" and following.t == "Div" and following.identifier == "refs"
        and names_references(block, word) then
      blocks:remove(i)
      return block
    end
  end
  return nil
end

local function top_level(doc)
  local top = 6
  doc:walk({ Header = function(h) top = math.min(top, h.level) end })
  return top == 6 and 2 or top
end

function Pandoc(doc)
  local heading = doc.meta["publish-label-references"]
  heading = heading and pandoc.utils.stringify(heading) or "References"
  local level = top_level(doc)
  local found = false
  local own = own_heading(doc.blocks, heading)
  doc.blocks = doc.blocks:walk({
    Div = function(div)
      if div.identifier ~= "refs" or found then return nil end
      found = true
      if #div.content == 0 then return own and { own } or {} end
      local title = own or pandoc.Header(level, { pandoc.Str(heading) }, pandoc.Attr("refs-heading"))
      -- The editions find the bibliography's heading by this id (the EPUB's landmarks).
      title.identifier = "refs-heading"
      -- pandoc's writer gives id "refs" the role "list": it stays the list's id.
      return pandoc.Div(
        { title, div },
        pandoc.Attr("bibliography", { "section", "bibliography" },
          -- A list of pairs, not a table: attribute order must not vary between runs.
          { { "role", "doc-bibliography" }, { "aria-labelledby", title.identifier } })
      )
    end,
  })
  -- A citation whose key is in no bibliography would link to an entry that is not
  -- there: keep its text ("smith2099?"), drop the link.
  local entries = {}
  doc:walk({ Div = function(div)
    if div.identifier:match("^ref%-") then entries[div.identifier] = true end
  end })
  return doc:walk({ Link = function(link)
    local target = link.target:match("^#(ref%-.+)$")
    if target and not entries[target] then return link.content end
  end })
end

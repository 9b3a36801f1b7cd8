-- After citeproc: the bibliography becomes a section of its own, in the text's
-- language, with DPUB roles (role="doc-bibliography" on the section; pandoc already
-- gives the entries list/listitem roles, which DPUB-ARIA 1.1 asks for now that
-- doc-biblioentry is deprecated). It stays where a ::: {#refs} div stands, else
-- citeproc has put it after the text.

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
  doc.blocks = doc.blocks:walk({
    Div = function(div)
      if div.identifier ~= "refs" or found then return nil end
      found = true
      if #div.content == 0 then return {} end
      -- pandoc's writer gives id "refs" the role "list": it stays the list's id.
      return pandoc.Div(
        { pandoc.Header(level, { pandoc.Str(heading) }, pandoc.Attr("refs-heading")), div },
        pandoc.Attr("bibliography", { "section", "bibliography" },
          -- A list of pairs, not a table: attribute order must not vary between runs.
          { { "role", "doc-bibliography" }, { "aria-labelledby", "refs-heading" } })
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

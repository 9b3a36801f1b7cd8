-- Runs before collect.lua in the one pandoc conversion (issue 11).
--
-- Figures: Quarto's `fig-alt` is the image's alternative text, the caption stays the
-- caption (pandoc would otherwise use the caption for both and hide the figcaption
-- from screen readers); `fig-width` is read as `width`.
--
-- (Labelled equations, `$$ … $$ {#eq-x}`, are numbered by crossref.lua.)

local function figure_image(img)
  local alt = img.attributes["fig-alt"]
  if alt then
    img.caption = pandoc.Inlines({ pandoc.Str(alt) })
    img.attributes["fig-alt"] = nil
  end
  local width = img.attributes["fig-width"]
  if width and not img.attributes["width"] then
    img.attributes["width"] = width
  end
  img.attributes["fig-width"] = nil
  return img
end

return {
  {
    Figure = function(fig)
      return fig:walk({ Image = figure_image })
    end,
  },
}

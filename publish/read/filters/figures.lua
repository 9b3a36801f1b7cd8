-- Runs before collect.lua in the one pandoc conversion (issue 11).
--
-- Figures: Quarto's `fig-alt` is the image's alternative text, the caption stays the
-- caption (pandoc would otherwise use the caption for both and hide the figcaption
-- from screen readers); `fig-width` is read as `width`.
--
-- (Labelled equations, `$$ … $$ {#eq-x}`, are numbered by crossref.lua.)

-- A note in a figure's caption: pandoc copies the caption into the image's alt text, and
-- with it the note, which it then writes twice (a second note with no call); and since
-- alt and caption are the same it hides the caption from screen readers (aria-hidden),
-- call and all (axe: aria-hidden-focus). The alt text is the caption without its notes.
local function without_notes(inlines)
  return inlines:walk({ Note = function() return {} end })
end

-- Alt text is read aloud, not typeset: math in it as the plain text pandoc's plain writer
-- makes of it (θ for $\theta$), citations left out (the caption keeps them,
-- and a caption with a citation is then no copy of the alt text for pandoc to hide).
local function readable(inlines)
  return inlines:walk({
    Math = function(m)
      local text = pandoc.write(pandoc.Pandoc({ pandoc.Plain({ m }) }), "plain")
      return pandoc.Str((text:gsub("%s+$", "")))
    end,
    Cite = function() return {} end,
  })
end

local function figure_image(img)
  img.caption = readable(img.caption)
  local has_note = false
  img.caption:walk({ Note = function(n) has_note = true; return n end })
  if has_note then
    img.caption = without_notes(img.caption)
  end
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

-- Task lists: pandoc's HTML writer makes `- [ ]` / `- [x]` an <input type="checkbox">,
-- which no edition can keep (the sanitiser drops form controls, e-readers show none),
-- and with it the state of the task. Wrapped in a span, the ballot box stays text.
local BOXES = { ["\u{2610}"] = "task-open", ["\u{2612}"] = "task-done" }

local tasks = 0

local function task_item(item)
  local first = item[1]
  if first and (first.t == "Plain" or first.t == "Para") then
    local box = first.content[1]
    if box and box.t == "Str" and BOXES[box.text] then
      first.content[1] = pandoc.Span({ box }, { class = BOXES[box.text] })
      tasks = tasks + 1
    end
  end
  return item
end

-- An aside (a Hugo callout, read by idioms.py as ::: {.aside .callout-x}) is <aside>.
local function aside(div)
  if not div.classes:includes("aside") then return nil end
  local classes = {}
  for _, class in ipairs(div.classes) do
    if class ~= "aside" then table.insert(classes, class) end
  end
  local open = "<aside" .. (#classes > 0 and (' class="' .. table.concat(classes, " ") .. '"') or "") .. ">"
  local blocks = pandoc.Blocks({ pandoc.RawBlock("html", open) })
  blocks:extend(div.content)
  blocks:insert(pandoc.RawBlock("html", "</aside>"))
  return blocks
end

-- A size pandoc cannot read (`{height="1 inch"}`, `{width=big}`) is dropped by its HTML
-- writer without a word: the picture is then set at its own size. Said here, so that
-- Python warns at its line ("publish-size <key> <value>"). The units are those of
-- pandoc's Text.Pandoc.ImageSize (lengthToDim); a bare number is pixels.
local UNITS = { [""] = true, px = true, cm = true, mm = true, ["in"] = true, inch = true,
  ["%"] = true, pt = true, pc = true, em = true }

local function check_size(img)
  for _, key in ipairs({ "width", "height" }) do
    local value = img.attributes[key]
    if value then
      local number, unit = value:match("^([%d%.]+)(.*)$")
      if not (number and tonumber(number) and UNITS[unit]) then
        pandoc.log.warn("publish-size " .. key .. " " .. value)
        img.attributes[key] = nil
      end
    end
  end
  return img
end

return {
  {
    Image = check_size,
  },
  {
    Div = aside,
    BulletList = function(list)
      tasks = 0
      list.content = list.content:map(task_item)
      -- The boxes are the items' markers: a list of tasks has no bullets besides.
      if tasks > 0 then
        return pandoc.Div({ list }, { class = "task-list" })
      end
      return list
    end,
  },
  {
    Figure = function(fig)
      return fig:walk({ Image = figure_image })
    end,
  },
}

"""A text or number input with its label, errors and help text, as crispy-bootstrap5's
`field.html` lays it out (same elements, classes, ids and ARIA attributes), written in Python;
and the monthly report form's cells made of them.

The monthly report form has 34 counts and 34 reasons: through crispy's templates and Django's
widget templates each of them cost about half a millisecond of CPU, most of the page's time;
here the same markup costs a few tens of microseconds. The cells around them (the count, and its
reason below it) cost 1.5 ms more as a loop in the form's template (docs/cpu.md). Other forms
keep `as_crispy_field`.
"""

import html

from django import forms, template
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

PLAIN_INPUTS = (forms.NumberInput, forms.TextInput)


@register.filter
def bootstrap_field(field: forms.BoundField):
    """`{{ form.pus|bootstrap_field }}`: what `{{ form.pus|as_crispy_field }}` renders, for a
    visible NumberInput or TextInput."""
    widget = field.field.widget
    if not isinstance(widget, PLAIN_INPUTS) or widget.is_hidden:
        raise TypeError(f"bootstrap_field renders text and number inputs, not {type(widget).__name__}")
    # Django builds the errors' list anew at each `field.errors`, and the id at each `auto_id`.
    errors, auto_id = field.errors, _text(field.auto_id)
    wrapper = " ".join(filter(None, ("mb-3", field.css_classes())))
    return mark_safe(f'<div id="div_{auto_id}" class="{_text(wrapper)}">{_label(field)}{input_tag(field, errors)}'
                     f"{_errors(errors, auto_id)}{_help_text(field, auto_id)}</div>")


def _text(value) -> str:
    """A value as a template shows it: escaped, unless marked safe (Django's `escape` does the
    same escaping, slower: it first checks its arguments for lazy translations)."""
    value = str(value)
    return value if isinstance(value, SafeData) else html.escape(value)


def input_css_class(field: forms.BoundField, errors) -> str:
    """The widget's classes, then its type (`numberinput`) and Bootstrap's, as crispy adds them."""
    widget = field.field.widget
    kind = type(widget).__name__.lower()
    classes = widget.attrs.get("class", "")
    classes = f"{classes} {kind}" if classes and kind not in classes else classes or kind
    for extra in ("form-control", "is-invalid") if errors else ("form-control",):
        if extra not in classes.split():
            classes += " " + extra
    return classes


def input_tag(field: forms.BoundField, errors) -> str:
    """The `<input>` Django's widget templates render, attributes in the same order, without
    changing the widget (crispy writes its classes into the widget's attrs)."""
    return _input(field, {**field.field.widget.attrs, "class": input_css_class(field, errors)})


@register.filter
def hidden_input(field: forms.BoundField):
    """`{{ form.version|hidden_input }}`: what `{{ form.version }}` renders for a HiddenInput,
    without Django's two widget templates (0.4 ms for the report form's one hidden input)."""
    if not isinstance(field.field.widget, forms.HiddenInput):
        raise TypeError(f"hidden_input renders hidden inputs, not {type(field.field.widget).__name__}")
    return mark_safe(_input(field, {**field.field.widget.attrs}))


def _input(field: forms.BoundField, attrs: dict) -> str:
    """The `<input>` with these attributes of the widget, then the bound field's (`required`,
    `aria-*`) and its id, as `BoundField.as_widget` adds them."""
    widget = field.field.widget
    attrs.update(field.build_widget_attrs({}, widget))
    if field.auto_id and "id" not in widget.attrs:
        attrs["id"] = field.auto_id
    value = widget.format_value(field.value())
    parts = [f'<input type="{_text(widget.input_type)}" name="{_text(field.html_name)}"']
    if value is not None:
        parts.append(f' value="{_text(value)}"')
    for name, attr in attrs.items():
        if attr is True:
            parts.append(f" {_text(name)}")
        elif attr is not False:
            parts.append(f' {_text(name)}="{_text(attr)}"')
    return "".join(parts) + ">"


def _label(field: forms.BoundField) -> str:
    if not field.label:
        return ""
    target = field.id_for_label
    target = f' for="{_text(target)}"' if target else ""
    if not field.field.required:
        return f'<label{target} class="form-label">{_text(field.label)}</label>'
    mark = '<span class="asteriskField">*</span>'
    return f'<label{target} class="form-label requiredField">{_text(field.label)}{mark}</label>'


def _errors(errors, auto_id: str) -> str:
    if not errors:
        return ""
    lines = "".join(f'<p id="error_{number}_{auto_id}"><strong>{_text(error)}</strong></p>'
                    for number, error in enumerate(errors, 1))
    return f'<div id="{_text(errors.field_id)}_error" class="invalid-feedback">{lines}</div>'


def _help_text(field: forms.BoundField, auto_id: str) -> str:
    if not field.help_text:
        return ""
    # As crispy: the help text is the form's own words, shown as they are (`|safe`).
    return f'<div id="{auto_id}_helptext" class="form-text">{field.help_text}</div>'


@register.filter
def count_cells(cells) -> str:
    """A section's cells (`reports.monthly.forms.Cell`), one under the other, each count with its
    reason's input below it, hidden until the number differs from the register (report_form.js)."""
    return mark_safe("".join(f'<div class="count-cell" data-cell="{_text(cell.field.name)}">'
                             f"{bootstrap_field(cell.field)}{_reason(cell)}</div>" for cell in cells))


@register.filter
def count_columns(cells) -> str:
    """A row's cells side by side (a method's places), without their reasons."""
    return mark_safe("".join(f'<div class="col-6"><div class="count-cell" data-cell="{_text(cell.field.name)}">'
                             f"{bootstrap_field(cell.field)}</div></div>" for cell in cells))


@register.filter
def reason_cells(cells) -> str:
    """The reasons of a row's cells, under the row."""
    return mark_safe("".join(_reason(cell) for cell in cells))


def _reason(cell) -> str:
    hidden = "" if cell.needs_reason else " hidden"
    return (f'<div class="reason mb-3" data-reason-wrap="{_text(cell.field.name)}"{hidden}>'
            f"{bootstrap_field(cell.reason)}</div>")

"""A text or number input with its label, errors and help text, as crispy-bootstrap5's
`field.html` lays it out (same elements, classes, ids and ARIA attributes), written in Python.

The monthly report form has 55 counts and 55 reasons: through crispy's templates and Django's
widget templates each of them cost about half a millisecond of CPU, most of the page's time;
here the same markup costs a few microseconds (docs/cpu.md). Other forms keep `as_crispy_field`.
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
    wrapper = " ".join(filter(None, ("mb-3", field.css_classes())))
    return mark_safe(f'<div id="div_{_text(field.auto_id)}" class="{_text(wrapper)}">'
                     f"{_label(field)}{input_tag(field)}{_errors(field)}{_help_text(field)}</div>")


def _text(value) -> str:
    """A value as a template shows it: escaped, unless marked safe (Django's `escape` does the
    same escaping, slower: it first checks its arguments for lazy translations)."""
    value = str(value)
    return value if isinstance(value, SafeData) else html.escape(value)


def input_css_class(field: forms.BoundField) -> str:
    """The widget's classes, then its type (`numberinput`) and Bootstrap's, as crispy adds them."""
    widget = field.field.widget
    kind = type(widget).__name__.lower()
    classes = widget.attrs.get("class", "")
    classes = f"{classes} {kind}" if classes and kind not in classes else classes or kind
    for extra in ("form-control", "is-invalid") if field.errors else ("form-control",):
        if extra not in classes.split():
            classes += " " + extra
    return classes


def input_tag(field: forms.BoundField) -> str:
    """The `<input>` Django's widget templates render, attributes in the same order, without
    changing the widget (crispy writes its classes into the widget's attrs)."""
    widget = field.field.widget
    attrs = {**widget.attrs, "class": input_css_class(field)}
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
    target = f' for="{_text(field.id_for_label)}"' if field.id_for_label else ""
    if not field.field.required:
        return f'<label{target} class="form-label">{_text(field.label)}</label>'
    mark = '<span class="asteriskField">*</span>'
    return f'<label{target} class="form-label requiredField">{_text(field.label)}{mark}</label>'


def _errors(field: forms.BoundField) -> str:
    if not field.errors:
        return ""
    lines = "".join(f'<p id="error_{number}_{_text(field.auto_id)}"><strong>{_text(error)}</strong></p>'
                    for number, error in enumerate(field.errors, 1))
    return f'<div id="{_text(field.errors.field_id)}_error" class="invalid-feedback">{lines}</div>'


def _help_text(field: forms.BoundField) -> str:
    if not field.help_text:
        return ""
    # As crispy: the help text is the form's own words, shown as they are (`|safe`).
    return f'<div id="{_text(field.auto_id)}_helptext" class="form-text">{field.help_text}</div>'

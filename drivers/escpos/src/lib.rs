//! Thermal receipt printer (ESC/POS).

//! House-price regression model.
